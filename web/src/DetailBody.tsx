import type { ContainerInfo, ProcessDetail, ProcessInfo } from '@proclens/shared';
import { Section } from './DetailSection.tsx';
import { EnvList, EnvironView } from './EnvViews.tsx';
import { formatBytes, formatStart, quoteArgv } from './format.ts';
import { roleExplanation } from './runtime-roles.ts';
import { Tokens } from './Tokens.tsx';
import { NOT_PERMITTED, PermissionNote, denied } from './PermissionNote.tsx';

export function DetailBody({
  detail,
  byPid,
  containers,
  onSelect,
}: {
  detail: ProcessDetail;
  byPid: ReadonlyMap<number, ProcessInfo>;
  containers: ReadonlyMap<string, ContainerInfo>;
  onSelect: (pid: number) => void;
}) {
  const p = detail.process;
  const pid = p.pid;
  const nsPid = detail.status.nspid[detail.status.nspid.length - 1] ?? pid;
  const container = detail.container;
  const recorded = detail.recordedAt !== null;
  return (
    <div className="detail-body">
      {detail.recordedAt !== null ? (
        <p className="notice" data-testid="detail-recorded">
          As recorded at {new Date(detail.recordedAt).toLocaleTimeString()}: what the stream kept of this process. What only /proc can tell (threads, its files,
          namespaces, control groups, environment) is live-only.
        </p>
      ) : null}
      <p className="headline">
        <strong>{p.name}</strong> <span className="tag">{where(p, container, containers)}</span>
      </p>
      {p.role ? <p className="explain">{roleExplanation(p.role)}</p> : null}
      <PermissionNote detail={detail} />
      <Section id="identity" title="Identity" command={`grep -E 'Name|State|PPid|Uid|Threads|NSpid' /proc/${pid}/status`}>
        <dl className="facts">
          <dt>Host pid</dt>
          <dd data-testid="detail-host-pid">{pid}</dd>
          <dt>Pid in its namespace</dt>
          <dd data-testid="detail-ns-pid">{nsPid}</dd>
          <dt>Parent (kernel)</dt>
          <dd data-testid="detail-ppid">
            <PidLink pid={p.ppid} byPid={byPid} onSelect={onSelect} />
          </dd>
          {p.logicalParent !== null ? (
            <>
              <dt>Parent (runtime)</dt>
              <dd>
                <PidLink pid={p.logicalParent} byPid={byPid} onSelect={onSelect} />
              </dd>
            </>
          ) : null}
          <dt>User</dt>
          <dd>uid {detail.status.uid.join(' / ') || 'unknown'}</dd>
          <dt>State</dt>
          <dd>{describeState(p.state)}</dd>
          <dt>Started</dt>
          <dd>{formatStart(p.startedAt)}</dd>
          <dt>CPU · memory</dt>
          <dd>
            {p.cpu.toFixed(1)}% · {formatBytes(p.rssKiB * 1024)}
          </dd>
          <dt>Threads</dt>
          <dd>{p.threads}</dd>
        </dl>
      </Section>
      <Section id="command" title="Command line" command={`tr '\\0' ' ' < /proc/${pid}/cmdline; echo`}>
        <pre className="argv">
          {detail.argv.length ? (
            <Tokens text={quoteArgv(detail.argv)} />
          ) : (
            `[${p.name}] (no command line: ${p.kernelThread ? 'a kernel thread' : p.state === 'Z' ? 'a zombie' : 'not readable'})`
          )}
        </pre>
        <p className="muted" data-testid="detail-exe">
          exe → {detail.exe ?? (denied(detail, 'exe') ? NOT_PERMITTED : 'none')} · cwd → {detail.cwd ?? (denied(detail, 'cwd') ? NOT_PERMITTED : 'none')}
        </p>
      </Section>
      {container ? <ContainerSection container={container} /> : null}
      <Section id="ancestry" title="Ancestry" command={`pstree -p -s ${pid}`}>
        <Ancestry pid={pid} byPid={byPid} onSelect={onSelect} />
      </Section>
      <Section id="threads" title={`Threads (${detail.tasks.length})`} command={`pstree -pt ${pid}`}>
        {recorded ? (
          <LiveOnly />
        ) : (
          <p className="threads-list" data-testid="detail-threads">
            {detail.tasks.map((t) => (t.tid === pid ? `${t.name}(${t.tid})` : `{${t.name}}(${t.tid})`)).join('  ')}
          </p>
        )}
      </Section>
      <Section id="proc" title={`What /proc/${pid} holds`} command={`ls /proc/${pid}`}>
        {recorded ? (
          <LiveOnly />
        ) : (
          <>
            <p className="entries" data-testid="detail-entries">
              {detail.entries.join('  ')}
            </p>
            <p className="muted">
              {detail.fdCount !== null
                ? `${detail.fdCount} open file descriptors (ls /proc/${pid}/fd).`
                : `Open files: ${denied(detail, 'fd') ? NOT_PERMITTED : 'none'}.`}
            </p>
          </>
        )}
      </Section>
      <Section id="namespaces" title="Namespaces" command={`ls -l /proc/${pid}/ns`}>
        {p.newNamespaces.length ? (
          <p className="explain">
            Not shared with its parent: <strong>{p.newNamespaces.join(', ')}</strong>. This is where the container starts: the kernel gives it its own view of
            these resources.
          </p>
        ) : null}
        {recorded ? <LiveOnly /> : null}
        {denied(detail, 'ns') ? <p className="muted">Namespace links: {NOT_PERMITTED}.</p> : null}
        <table className="ns" data-testid="detail-namespaces">
          <tbody>
            {detail.namespaces.map((ns) => (
              <tr key={ns.type} className={ns.sharedWithHost === false ? 'own' : ''}>
                <th>{ns.type}</th>
                <td>{ns.inode ?? '?'}</td>
                <td>{ns.sharedWithHost === null ? 'unknown' : ns.sharedWithHost ? 'shared with host' : 'its own'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section id="cgroup" title="Control groups" command={`cat /proc/${pid}/cgroup`}>
        {recorded ? (
          <LiveOnly />
        ) : (
          <pre className="cgroup">{detail.cgroup.map((c) => `${c.hierarchy}:${c.controllers.join(',')}:${c.path}`).join('\n') || '(none)'}</pre>
        )}
      </Section>
      <Section id="environ" title="Environment (/proc)" command={`tr '\\0' '\\n' < /proc/${pid}/environ`}>
        {recorded ? <LiveOnly /> : <EnvironView detail={detail} />}
      </Section>
      {container && detail.containerEnv ? (
        <Section id="configured-env" title={`Configured environment of ${container.name}`} command={`docker exec ${container.name} env`}>
          <p className="explain">
            What Docker gives the container (image ENV plus <code>docker run -e</code>). /proc shows what this process holds now: a process can change or wipe
            its own copy, and <code>docker exec</code> starts a new process with the configured one.
          </p>
          <p className="explain" data-testid="exec-env-note">
            <code>docker exec {container.name} env</code> prints a few more, set when the new process starts rather than configured: <code>HOSTNAME</code> (the
            container’s host name, its id by default), <code>HOME</code> (from the user’s entry in the image’s <code>/etc/passwd</code>, <code>/root</code> for
            root) and, with <code>-t</code>, <code>TERM</code>.
          </p>
          <EnvList vars={detail.containerEnv} />
        </Section>
      ) : null}
    </div>
  );
}

/** A section a recording cannot fill: /proc is read live, and environments are never recorded. */
function LiveOnly() {
  return (
    <p className="live-only" data-testid="live-only">
      Live only: not in the recording.
    </p>
  );
}

function PidLink({ pid, byPid, onSelect }: { pid: number; byPid: ReadonlyMap<number, ProcessInfo>; onSelect: (pid: number) => void }) {
  const p = byPid.get(pid);
  if (!p) return <span>{pid}</span>;
  return (
    <button type="button" className="pid-link" onClick={() => onSelect(pid)}>
      {p.name}({pid})
    </button>
  );
}

function ContainerSection({ container }: { container: ContainerInfo }) {
  return (
    <Section id="container" title={`Container ${container.name}`} command={`docker top ${container.name}`}>
      <dl className="facts">
        <dt>Id</dt>
        <dd className="mono">{container.id.slice(0, 12)}</dd>
        <dt>Image</dt>
        <dd>{container.image}</dd>
        <dt>State</dt>
        <dd>{container.status}</dd>
        <dt>Init pid</dt>
        <dd>{container.pid ?? '—'}</dd>
        <dt>Processes</dt>
        <dd>{container.pids.join(', ')}</dd>
      </dl>
    </Section>
  );
}

function Ancestry({ pid, byPid, onSelect }: { pid: number; byPid: ReadonlyMap<number, ProcessInfo>; onSelect: (pid: number) => void }) {
  const chain: number[] = [];
  for (let p = byPid.get(pid); p && chain.length < 64; p = byPid.get(p.ppid)) {
    chain.unshift(p.pid);
    if (p.ppid === 0) break;
  }
  return (
    <p className="ancestry">
      {chain.map((p, i) => (
        <span key={p}>
          {i > 0 ? ' → ' : ''}
          <PidLink pid={p} byPid={byPid} onSelect={onSelect} />
        </span>
      ))}
    </p>
  );
}

function where(p: ProcessInfo, container: ContainerInfo | null, containers: ReadonlyMap<string, ContainerInfo>): string {
  if (container) return `in container ${container.name}`;
  if (p.containerId) return `in container ${p.containerId.slice(0, 12)} (not this engine's)`;
  const served = p.shimOf ? containers.get(p.shimOf) : undefined;
  if (served) return `on the host, serving container ${served.name}`;
  return 'on the host';
}

const STATES: Record<string, string> = {
  R: 'R (running)',
  S: 'S (sleeping)',
  D: 'D (waiting on I/O)',
  Z: 'Z (zombie: exited, not yet reaped by its parent)',
  T: 'T (stopped)',
  t: 't (traced)',
  I: 'I (idle kernel thread)',
  X: 'X (dead)',
};

function describeState(state: string): string {
  return STATES[state] ?? state;
}
