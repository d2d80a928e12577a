import type { ReactNode } from 'react';
import { MASK, isSecretName } from '@proclens/shared';
import type { ContainerInfo, EnvVarView, ProcessDetail, ProcessInfo } from '@proclens/shared';
import { ShellCommand } from './ShellCommand.tsx';
import { roleExplanation } from './runtime-roles.ts';
import { useProcessDetail } from './use-process-detail.ts';
import { formatBytes, formatStart, quoteArgv } from './format.ts';

interface Props {
  pid: number;
  /** The moment shown when it is not the present (replay, rewind): the process as recorded then. */
  at?: number | null;
  byPid: ReadonlyMap<number, ProcessInfo>;
  containers: ReadonlyMap<string, ContainerInfo>;
  onSelect: (pid: number) => void;
  onClose: () => void;
}

/** Everything about one process, each section with the shell command that shows the same. */
export function DetailPane({ pid, at = null, byPid, containers, onSelect, onClose }: Props) {
  const state = useProcessDetail(pid, at);
  return (
    <aside className="detail" data-testid="detail-pane" aria-label={`Process ${pid}`}>
      <header>
        <h2>Process {pid}</h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      {state.kind === 'loading' || state.kind === 'idle' ? <p className="muted">Reading /proc/{pid}…</p> : null}
      {state.kind === 'gone' ? <p className="notice">Process {pid} has exited.</p> : null}
      {state.kind === 'error' ? (
        <p className="notice">
          Could not read process {pid}: {state.message}
        </p>
      ) : null}
      {state.kind === 'ok' ? <DetailBody detail={state.value} byPid={byPid} containers={containers} onSelect={onSelect} /> : null}
    </aside>
  );
}

/** Said where the kernel refused a read; `PermissionNote` says once why. */
const NOT_PERMITTED = 'not permitted';
const REFUSED_NAMES: Record<ProcessDetail['notPermitted'][number], string> = {
  environ: 'environment',
  exe: 'exe link',
  cwd: 'cwd link',
  fd: 'open files',
  ns: 'namespace links',
};
/** In the order the pane shows them. */
const REFUSED_ORDER: ReadonlyArray<ProcessDetail['notPermitted'][number]> = ['environ', 'exe', 'cwd', 'fd', 'ns'];

/**
 * Why: a process's environ, fds and ns/exe/cwd links are readable only by its own user with no
 * fewer capabilities, or with these two (docs/install.md, "Least privilege").
 */
function PermissionNote({ detail }: { detail: ProcessDetail }) {
  if (detail.notPermitted.length === 0) return null;
  return (
    <p className="notice" data-testid="not-permitted">
      Not permitted to read its{' '}
      {REFUSED_ORDER.filter((what) => denied(detail, what))
        .map((what) => REFUSED_NAMES[what])
        .join(', ')}
      : the server needs CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (root has both) for another user’s processes and for those with more capabilities than its own.
    </p>
  );
}

function denied(detail: ProcessDetail, what: ProcessDetail['notPermitted'][number]): boolean {
  return detail.notPermitted.includes(what);
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
        <p className="muted" data-testid="detail-exe">
          exe → {detail.exe ?? (denied(detail, 'exe') ? NOT_PERMITTED : 'none')} · cwd → {detail.cwd ?? (denied(detail, 'cwd') ? NOT_PERMITTED : 'none')}
        </p>
      </Section>
      {container ? <ContainerSection container={container} /> : null}
      <Section title="Ancestry" command={`pstree -p -s ${pid}`}>
        <Ancestry pid={pid} byPid={byPid} onSelect={onSelect} />
      </Section>
      <Section title={`Threads (${detail.tasks.length})`} command={`pstree -p ${pid}`}>
        {recorded ? (
          <LiveOnly />
        ) : (
          <p className="threads-list" data-testid="detail-threads">
            {detail.tasks.map((t) => (t.tid === pid ? `${t.name}(${t.tid})` : `{${t.name}}(${t.tid})`)).join('  ')}
          </p>
        )}
      </Section>
      <Section title={`What /proc/${pid} holds`} command={`ls /proc/${pid}`}>
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
      <Section title="Namespaces" command={`ls -l /proc/${pid}/ns`}>
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
      <Section title="Control groups" command={`cat /proc/${pid}/cgroup`}>
        {recorded ? (
          <LiveOnly />
        ) : (
          <pre className="cgroup">{detail.cgroup.map((c) => `${c.hierarchy}:${c.controllers.join(',')}:${c.path}`).join('\n') || '(none)'}</pre>
        )}
      </Section>
      <Section title="Environment (/proc)" command={`tr '\\0' '\\n' < /proc/${pid}/environ`}>
        {recorded ? <LiveOnly /> : <EnvironView detail={detail} />}
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

/** A section a recording cannot fill: /proc is read live, and environments are never recorded. */
function LiveOnly() {
  return (
    <p className="live-only" data-testid="live-only">
      Live only: not in the recording.
    </p>
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
      return <p className="notice">Environment: {NOT_PERMITTED}.</p>;
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
            <td>{v.masked ? <MaskedValue name={v.name} value={v.value} /> : v.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const REVEAL_HINT = 'Start the server with --reveal-secrets to show it.';

/** A value with its secret parts hidden by the server: all of it (`null`), or each `MASK` in it. */
function MaskedValue({ name, value }: { name: string; value: string | null }) {
  if (value === null) {
    const why = isSecretName(name) ? 'the name looks secret' : 'the value holds a secret that could not be hidden in part';
    return (
      <span className="masked" title={`Masked: ${why}. ${REVEAL_HINT}`}>
        •••••• masked
      </span>
    );
  }
  return (
    <span title={`Partly masked: a password, token or private key in the value is hidden. ${REVEAL_HINT}`}>
      {value.split(MASK).map((part, i) => (
        <span key={i}>
          {i > 0 ? <span className="masked">{MASK}</span> : null}
          {part}
        </span>
      ))}
    </span>
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
