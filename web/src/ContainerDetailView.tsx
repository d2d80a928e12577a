import { containerDetailSchema } from '@proclens/shared';
import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import { ShellCommand } from './ShellCommand.tsx';
import { Tokens } from './Tokens.tsx';
import { formatStart } from './format.ts';
import { useJson } from './use-json.ts';

const REFRESH_MS = 5000;

/** What `docker inspect` says about the selected container, under its entry in the list. */
export function ContainerDetailView({
  container,
  byPid,
  onSelectPid,
}: {
  container: ContainerInfo;
  byPid: ReadonlyMap<number, ProcessInfo>;
  onSelectPid: (pid: number) => void;
}) {
  const state = useJson(`/api/containers/${encodeURIComponent(container.id)}`, containerDetailSchema, REFRESH_MS);
  if (state.kind !== 'ok') return state.kind === 'error' ? <p className="notice">{state.message}</p> : null;
  const d = state.value;
  return (
    <div className="container-detail" data-testid="container-detail">
      <dl className="facts compact">
        <dt>Command</dt>
        <dd className="mono">{d.command.length ? <Tokens text={d.command.join(' ')} /> : '—'}</dd>
        <dt>Started</dt>
        <dd>{d.startedAt ? formatStart(d.startedAt) : 'never'}</dd>
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
        {d.kubernetes ? (
          <>
            <dt>Pod</dt>
            <dd>
              {d.kubernetes.namespace}/{d.kubernetes.pod}
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
      </dl>
      <h3>Processes (docker top)</h3>
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
      <ShellCommand command={`docker top ${container.name}`} />
    </div>
  );
}
