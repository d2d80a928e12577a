import type { ProcessInfo } from '@proclens/shared';
import type { TimelineEvent } from './build-timeline-events.ts';

/** One formatter for every row: toLocaleTimeString builds a new one per call, which shows on a busy host. */
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

interface Props {
  events: readonly TimelineEvent[];
  byPid: ReadonlyMap<number, ProcessInfo>;
  onSelectPid: (pid: number) => void;
  onSelectContainer: (id: string) => void;
}

/** Births and deaths of containers and processes as they happen; click one to go to it. */
export function Timeline({ events, byPid, onSelectPid, onSelectContainer }: Props) {
  return (
    <section className="timeline" aria-label="Events" data-testid="timeline">
      <h2>Events</h2>
      {events.length === 0 ? <p className="muted">Nothing has happened since the page opened.</p> : null}
      <ol>
        {events.map((e) => {
          const target =
            e.pid !== null && byPid.has(e.pid) ? () => onSelectPid(e.pid as number) : e.containerId ? () => onSelectContainer(e.containerId as string) : null;
          return (
            <li key={e.id} className={`event ${e.kind}`} data-testid="timeline-event" data-kind={e.kind}>
              <time>{TIME.format(e.at)}</time>{' '}
              {target ? (
                <button type="button" className="link-button" onClick={target}>
                  {e.text}
                </button>
              ) : (
                <span>{e.text}</span>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
