import type { ContainerInfo, EngineStatus } from '@proclens/shared';

interface Props {
  containers: readonly ContainerInfo[];
  docker: EngineStatus;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

/** The engine's containers; clicking one lights up its processes. */
export function ContainerList({ containers, docker, selectedId, onSelect }: Props) {
  return (
    <section className="containers" aria-label="Containers">
      <h2>Containers</h2>
      {docker.state !== 'connected' ? (
        <p className="muted">{docker.state === 'connecting' ? 'Connecting to Docker…' : 'Docker not reachable.'}</p>
      ) : containers.length === 0 ? (
        <p className="muted">
          No containers. Try <code>docker run -d --name=db redis:alpine</code>
        </p>
      ) : (
        <ul>
          {containers.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                data-testid="container-item"
                data-container-name={c.name}
                className={`container state-${c.state} ${c.id === selectedId ? 'selected' : ''}`}
                aria-pressed={c.id === selectedId}
                onClick={() => onSelect(c.id === selectedId ? null : c.id)}
              >
                <span className="name">{c.name}</span>
                <span className="image">{c.image}</span>
                <span className="meta">
                  {c.state} · {c.pids.length} {c.pids.length === 1 ? 'process' : 'processes'}
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
