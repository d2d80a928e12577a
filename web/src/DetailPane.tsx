import type { ReactNode } from 'react';
import type { ContainerInfo, EnvVarView, ProcessDetail, ProcessInfo } from '@proclens/shared';
import { ShellCommand } from './ShellCommand.tsx';
import { roleExplanation } from './runtime-roles.ts';
import { useProcessDetail } from './use-process-detail.ts';
import { formatBytes, formatStart, quoteArgv } from './format.ts';
import type { ProcessRef } from './view-state.ts';

interface Props {
  selection: ProcessRef;
  byPid: ReadonlyMap<number, ProcessInfo>;
  containers: ReadonlyMap<string, ContainerInfo>;
  onSelect: (pid: number) => void;
  onClose: () => void;
}

/** Everything about one process, each section with the shell command that shows the same. */
export function DetailPane({ selection, byPid, containers, onSelect, onClose }: Props) {
  const { pid, startTime } = selection;
  const state = useProcessDetail(pid);
  // The pid may have been reused since it was selected: that is another process, not this one.
  const reused = state.kind === 'ok' && startTime !== null && state.value.process.startTime !== startTime;
  return (
    <aside className="detail" data-testid="detail-pane" aria-label={`Process ${pid}`}>
      <header>
        <h2>Process {pid}</h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      {state.kind === 'loading' || state.kind === 'idle' ? <p className="muted">Reading /proc/{pid}…</p> : null}
      {(state.kind === 'gone' && startTime !== null) || reused ? (
        <p className="notice" data-testid="detail-exited">
          Process {pid} has exited.{reused ? ` Its pid now belongs to another process, ${state.value.process.name}.` : ''}
        </p>
      ) : null}
      {state.kind === 'gone' && startTime === null ? (
        <p className="notice" data-testid="detail-no-such-process">
          No such process: nothing on this host has pid {pid}.
        </p>
      ) : null}
      {state.kind === 'error' ? (
        <p className="notice">
          Could not read process {pid}: {state.message}
        </p>
      ) : null}
      {state.kind === 'ok' && !reused ? <DetailBody detail={state.value} byPid={byPid} containers={containers} onSelect={onSelect} /> : null}
    </aside>
  );
}

function Section({ title, command, children }: { title: string; command: string; children: ReactNode }) {
  return (
    <section className="detail-section">
      <h3>{title}</h3>
      {children}
      <ShellCommand command={command} />
    </section>
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

function DetailBody({
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
  return (
    <div className="detail-body">
      <p className="headline">
        <strong>{p.name}</strong> <span className="tag">{where(p, container, containers)}</span>
      </p>
      {p.role ? <p className="explain">{roleExplanation(p.role)}</p> : null}
      <Section title="Identity" command={`grep -E 'Name|State|PPid|Uid|Threads|NSpid' /proc/${pid}/status`}>
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
      <Section title="Command line" command={`tr '\\0' ' ' < /proc/${pid}/cmdline; echo`}>
        <pre className="argv">
          {detail.argv.length
            ? quoteArgv(detail.argv)
            : `[${p.name}] (no command line: ${p.kernelThread ? 'a kernel thread' : p.state === 'Z' ? 'a zombie' : 'not readable'})`}
        </pre>
        {detail.exe ? <p className="muted">exe → {detail.exe}</p> : null}
      </Section>
      {container ? <ContainerSection container={container} /> : null}
      <Section title="Ancestry" command={`pstree -p -s ${pid}`}>
        <Ancestry pid={pid} byPid={byPid} onSelect={onSelect} />
      </Section>
      <Section title={`Threads (${detail.tasks.length})`} command={`pstree -p ${pid}`}>
        <p className="threads-list" data-testid="detail-threads">
          {detail.tasks.map((t) => (t.tid === pid ? `${t.name}(${t.tid})` : `{${t.name}}(${t.tid})`)).join('  ')}
        </p>
      </Section>
      <Section title={`What /proc/${pid} holds`} command={`ls /proc/${pid}`}>
        <p className="entries" data-testid="detail-entries">
          {detail.entries.join('  ')}
        </p>
        <p className="muted">{detail.fdCount === null ? 'Open files: not permitted.' : `${detail.fdCount} open file descriptors (ls /proc/${pid}/fd).`}</p>
      </Section>
      <Section title="Namespaces" command={`ls -l /proc/${pid}/ns`}>
        {p.newNamespaces.length ? (
          <p className="explain">
            Not shared with its parent: <strong>{p.newNamespaces.join(', ')}</strong>. This is where the container starts: the kernel gives it its own view of
            these resources.
          </p>
        ) : null}
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
      <Section title="Control groups" command={`cat /proc/${pid}/cgroup`}>
        <pre className="cgroup">{detail.cgroup.map((c) => `${c.hierarchy}:${c.controllers.join(',')}:${c.path}`).join('\n') || '(none)'}</pre>
      </Section>
      <Section title="Environment (/proc)" command={`tr '\\0' '\\n' < /proc/${pid}/environ`}>
        <EnvironView detail={detail} />
      </Section>
      {container && detail.containerEnv ? (
        <Section title={`Configured environment of ${container.name}`} command={`docker exec ${container.name} env`}>
          <p className="explain">
            What Docker gives the container (image ENV plus <code>docker run -e</code>). /proc shows what this process holds now: a process can change or wipe
            its own copy, and
            <code>docker exec</code> starts a new process with the configured one.
          </p>
          <EnvList vars={detail.containerEnv} />
        </Section>
      ) : null}
    </div>
  );
}

function ContainerSection({ container }: { container: ContainerInfo }) {
  return (
    <Section title={`Container ${container.name}`} command={`docker top ${container.name}`}>
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

function EnvironView({ detail }: { detail: ProcessDetail }) {
  const { environ } = detail;
  switch (environ.state) {
    case 'denied':
      return <p className="notice">Not permitted: reading another user’s environment needs root (run the server as root to see it).</p>;
    case 'zeroed':
      return (
        <p className="notice" data-testid="environ-zeroed">
          Zeroed: this process overwrote its environment with NUL bytes after it started (Debian’s redis-server does), so /proc shows nothing.
          {detail.containerEnv ? ' The container’s configured environment is shown below.' : ''}
        </p>
      );
    case 'empty':
      return <p className="muted">Empty.</p>;
    case 'ok':
      return <EnvList vars={environ.vars} />;
    default:
      return null;
  }
}

function EnvList({ vars }: { vars: readonly EnvVarView[] }) {
  return (
    <table className="env">
      <tbody>
        {vars.map((v, i) => (
          <tr key={`${v.name}-${i}`}>
            <th>{v.name}</th>
            <td>
              {v.masked ? (
                <span className="masked" title="Masked: the name looks secret. Start the server with --reveal-secrets to show it.">
                  •••••• masked
                </span>
              ) : (
                v.value
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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
