import type { ContainerInfo, EngineStatus } from '@proclens/shared';

interface Props {
  containers: readonly ContainerInfo[];
  /** Removed containers, fading out of the list. */
  departing: readonly ContainerInfo[];
  /** Containers that have just started: their card flashes. */
  started: ReadonlySet<string>;
  docker: EngineStatus;
  selectedId: string | null;
  /** The URL named a container this host does not have. */
  unknown: string | null;
  onSelect: (id: string | null) => void;
}

function stateText(c: ContainerInfo): string {
  if (c.state === 'exited' && c.exitCode !== null) return `exited (${c.exitCode})`;
  return c.state;
}

/** The engines' containers; clicking one frames its processes and the runtime chain above them. */
export function ContainerList({ containers, departing, started, docker, selectedId, unknown, onSelect }: Props) {
  const rows = [...containers.map((c) => ({ c, gone: false })), ...departing.map((c) => ({ c, gone: true }))];
  return (
    <section className="containers" aria-label="Containers">
      <h2>Containers</h2>
      {unknown ? (
        <p className="notice" data-testid="unknown-container">
          No container named “{unknown}” on this host.
        </p>
      ) : null}
      {docker.state !== 'connected' ? (
        <p className="muted">{docker.state === 'connecting' ? 'Connecting to Docker…' : 'Docker not reachable.'}</p>
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
                <span className="image">{c.image}</span>
                <span className="meta">
                  {gone ? 'removed' : stateText(c)} · {c.pids.length} {c.pids.length === 1 ? 'process' : 'processes'}
                  {c.pid ? ` · init pid ${c.pid}` : ''}
                  {c.engine !== 'docker' ? ` · ${c.engine}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
