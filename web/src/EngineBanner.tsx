import type { EngineStatus } from '@proclens/shared';

/** Says so when the Docker engine cannot be reached: the tree still shows /proc. */
export function EngineBanner({ engine }: { engine: EngineStatus | undefined }) {
  if (!engine || engine.state !== 'disconnected') return null;
  return (
    <div className="banner" role="status" data-testid="docker-status" data-state={engine.state}>
      Docker is not reachable at <code>{engine.endpoint}</code>
      {engine.error ? ` (${engine.error})` : ''}. Showing the /proc tree only; containers will appear when the engine is up.
    </div>
  );
}
