import type { ContainerInfo, EngineStatus } from '@proclens/shared';
import { formatEngine, formatPod, formatSource } from './container-source.ts';

interface Props {
  containers: readonly ContainerInfo[];
  docker: EngineStatus;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

/**
 * Every engine's containers, each saying which engine owns it and where its facts came from;
 * clicking one lights up its processes. Containers found in /proc show even when Docker is down.
 */
export function ContainerList({ containers, docker, selectedId, onSelect }: Props) {
  return (
    <section className="containers" aria-label="Containers">
      <h2>Containers</h2>
      {docker.state !== 'connected' && containers.length === 0 ? (
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
                <span className="engine" data-testid="container-engine" data-engine={c.engine} data-source={c.source} title={formatSource(c)}>
                  {formatEngine(c)}
                  {c.source === 'proc' ? ' · from /proc' : ''}
                </span>
                {c.image ? <span className="image">{c.image}</span> : null}
                {formatPod(c) ? <span className="pod">{formatPod(c)}</span> : null}
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
