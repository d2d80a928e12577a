import type { ContainerInfo, EngineStatus } from '@proclens/shared';
import { engineName, formatEngine, formatPod, formatSource } from './container-source.ts';

interface Props {
  containers: readonly ContainerInfo[];
  /** Removed containers, fading out of the list. */
  departing: readonly ContainerInfo[];
  /** Containers that have just started: their card flashes. */
  started: ReadonlySet<string>;
  /** Every engine the server watches. */
  engines: readonly EngineStatus[];
  selectedId: string | null;
  /** The URL named a container this host does not have. */
  unknown: string | null;
  onSelect: (id: string | null) => void;
}

function stateText(c: ContainerInfo): string {
  if (c.state === 'exited' && c.exitCode !== null) return `exited (${c.exitCode})`;
  return c.state;
}

/**
 * Every engine's containers, each saying which engine owns it and where its facts came from;
 * clicking one frames its processes and the runtime chain above them. Containers found in /proc
 * show even when Docker is down.
 */
export function ContainerList({ containers, departing, started, engines, selectedId, unknown, onSelect }: Props) {
  const names = engines.map((e) => engineName(e.kind)).join(' or ');
  const connected = engines.some((e) => e.state === 'connected');
  const connecting = engines.some((e) => e.state === 'connecting');
  const rows = [...containers.map((c) => ({ c, gone: false })), ...departing.map((c) => ({ c, gone: true }))];
  return (
    <section className="containers" aria-label="Containers">
      <h2>Containers</h2>
      {unknown ? (
        <p className="notice" data-testid="unknown-container">
          No container named “{unknown}” on this host.
        </p>
      ) : null}
      {!connected && rows.length === 0 ? (
        <p className="muted">{connecting ? `Connecting to ${names}…` : `${names} not reachable.`}</p>
      ) : rows.length === 0 ? (
        <p className="muted">
          No containers. Try <code>docker run -d --name=db redis:alpine</code>
        </p>
      ) : (
        <ul>
          {rows.map(({ c, gone }) => (
            <li key={c.id}>
              <button
                type="button"
                data-testid="container-item"
                data-container-name={c.name}
                data-state={gone ? 'removed' : c.state}
                className={`container state-${c.state}${c.id === selectedId ? ' selected' : ''}${started.has(c.id) ? ' flash' : ''}${gone ? ' departing' : ''}`}
                aria-pressed={c.id === selectedId}
                disabled={gone}
                onClick={() => onSelect(c.id === selectedId ? null : c.id)}
              >
                <span className="name">{c.name}</span>
                <span className="engine" data-testid="container-engine" data-engine={c.engine} data-source={c.source} title={formatSource(c)}>
                  {formatEngine(c)}
                  {c.source === 'proc' ? ' · from /proc' : ''}
                </span>
                {c.image ? <span className="image">{c.image}</span> : null}
                {formatPod(c) ? <span className="pod">{formatPod(c)}</span> : null}
                <span className="meta">
                  {gone ? 'removed' : stateText(c)} · {c.pids.length} {c.pids.length === 1 ? 'process' : 'processes'}
                  {c.pid ? ` · init pid ${c.pid}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
