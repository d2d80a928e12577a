import { containerDetailSchema } from '@proclens/shared';
import type { ContainerDetail, ContainerInfo, ProcessInfo } from '@proclens/shared';
import { ShellCommand } from './ShellCommand.tsx';
import { Tokens } from './Tokens.tsx';
import { useApiBase } from './api-base.ts';
import { formatEngine, formatPod, formatSource, formatTopCommand } from './container-source.ts';
import { formatStart } from './format.ts';
import { useJson } from './use-json.ts';

const REFRESH_MS = 5000;

/**
 * What the engine says about the selected container (`docker inspect`, or Podman's or containerd's
 * equivalent), under its entry in the list, with where that came from. A container seen in /proc
 * alone has no engine to ask: it shows its engine, its source and its processes.
 */
export function ContainerDetailView({
  container,
  byPid,
  onSelectPid,
}: {
  container: ContainerInfo;
  byPid: ReadonlyMap<number, ProcessInfo>;
  onSelectPid: (pid: number) => void;
}) {
  const { api } = useApiBase();
  const url = container.source === 'api' ? `${api}/containers/${encodeURIComponent(container.id)}` : null;
  const state = useJson(url, containerDetailSchema, REFRESH_MS);
  // What the stream carries (engine, source, processes) is shown whatever the engine answers: a
  // recording has no inspect to give (404), and the lesson's `docker top` step needs the table.
  if (url !== null && state.kind === 'loading') return null;
  const pod = formatPod(container);
  const top = formatTopCommand(container);
  return (
    <div className="container-detail" data-testid="container-detail">
      {state.kind === 'error' ? <p className="notice">{state.message}</p> : null}
      {state.kind === 'gone' ? (
        <p className="muted" data-testid="inspect-live-only">
          What the engine says of it (inspect) is live-only.
        </p>
      ) : null}
      <dl className="facts compact">
        <dt>Engine</dt>
        <dd className="prose" data-testid="container-source">
          {formatEngine(container)}, {formatSource(container)}
        </dd>
        {pod ? (
          <>
            <dt>Kubernetes</dt>
            <dd className="prose" data-testid="container-pod">
              {pod} (CRI labels in containerd&apos;s metadata)
            </dd>
          </>
        ) : null}
        {state.kind === 'ok' ? <InspectFacts d={state.value} /> : null}
      </dl>
      <h3>
        Processes (
        {top
          .split(' ')
          .slice(0, container.engine === 'containerd' ? 1 : 2)
          .join(' ')}
        )
      </h3>
      <table className="top" data-testid="container-top">
        <thead>
          <tr>
            <th>PID</th>
            <th>PPID</th>
            <th>CMD</th>
          </tr>
        </thead>
        <tbody>
          {container.pids.map((pid) => (
            <tr key={pid}>
              <td>
                <button type="button" className="pid-link" onClick={() => onSelectPid(pid)}>
                  {pid}
                </button>
              </td>
              <td>{byPid.get(pid)?.ppid ?? '?'}</td>
              <td className="mono">
                <Tokens text={byPid.get(pid)?.argv.join(' ') || (byPid.get(pid)?.name ?? '')} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShellCommand command={top} />
    </div>
  );
}

/** The engine's own account of the container (inspect), as definition-list rows. */
function InspectFacts({ d }: { d: ContainerDetail }) {
  return (
    <>
      <dt>Command</dt>
      <dd className="mono">{d.command.length ? <Tokens text={d.command.join(' ')} /> : '—'}</dd>
      <dt>Started</dt>
      <dd>{d.startedAt ? formatStart(d.startedAt) : d.container.engine === 'containerd' ? 'not recorded by containerd' : 'never'}</dd>
      {d.restartCount > 0 ? (
        <>
          <dt>Restarts</dt>
          <dd>{d.restartCount}</dd>
        </>
      ) : null}
      {d.init ? (
        <>
          <dt>Init</dt>
          <dd>docker-init (--init)</dd>
        </>
      ) : null}
      <dt>Network</dt>
      <dd>{d.networkMode}</dd>
      {d.compose ? (
        <>
          <dt>Compose</dt>
          <dd>
            {d.compose.project} / {d.compose.service}
          </dd>
        </>
      ) : null}
      {d.ports.length ? (
        <>
          <dt>Ports</dt>
          <dd>
            <Tokens text={d.ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}→${p.container}`).join(', ')} />
          </dd>
        </>
      ) : null}
      {d.mounts.length ? (
        <>
          <dt>Mounts</dt>
          <dd>
            <Tokens text={d.mounts.map((m) => `${m.source} → ${m.destination}${m.readWrite ? '' : ' (ro)'}`).join(', ')} />
          </dd>
        </>
      ) : null}
    </>
  );
}
