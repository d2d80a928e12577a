import type { EngineStatus } from '@proclens/shared';
import { buildEngineNotice } from './build-engine-notice.ts';
import { engineName } from './container-source.ts';

/** Says which engine cannot be reached, and what the page shows meanwhile: the tree still shows /proc. */
export function EngineBanner({ engines, containerCount }: { engines: readonly EngineStatus[]; containerCount: number }) {
  const notice = buildEngineNotice(engines, containerCount);
  if (!notice) return null;
  return (
    <div className="banner" role="status" data-testid="docker-status" data-state="disconnected" data-engines={notice.unreachable.map((e) => e.kind).join(' ')}>
      {notice.unreachable.map((e) => (
        <span key={e.kind}>
          {engineName(e.kind)} is not reachable at <code>{e.endpoint}</code>
          {e.error ? ` (${e.error})` : ''}.{' '}
        </span>
      ))}
      {notice.meanwhile}
    </div>
  );
}
