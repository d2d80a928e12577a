import type { TimelineEvent } from './build-timeline-events.ts';

interface Props {
  events: readonly TimelineEvent[];
  alive: ReadonlySet<number>;
  onSelectPid: (pid: number) => void;
  onSelectContainer: (id: string) => void;
  /** With history to scrub (replay, rewind) and for the presenter: a time goes back to that moment. */
  onSeek?: (at: number) => void;
}

/** Births and deaths of containers and processes as they happen; click one to go to it. */
export function Timeline({ events, alive, onSelectPid, onSelectContainer, onSeek }: Props) {
  return (
    <section className="timeline" aria-label="Events" data-testid="timeline">
      <h2>Events</h2>
      {events.length === 0 ? <p className="muted">Nothing has happened since the page opened.</p> : null}
      <ol>
        {events.map((e) => {
          const target =
            e.pid !== null && alive.has(e.pid) ? () => onSelectPid(e.pid as number) : e.containerId ? () => onSelectContainer(e.containerId as string) : null;
          return (
            <li key={e.id} className={`event ${e.kind}`} data-testid="timeline-event" data-kind={e.kind}>
              {onSeek ? (
                <button type="button" className="link-button" data-testid="timeline-seek" title="Show the host at this moment" onClick={() => onSeek(e.at)}>
                  <time>{new Date(e.at).toLocaleTimeString()}</time>
                </button>
              ) : (
                <time>{new Date(e.at).toLocaleTimeString()}</time>
              )}{' '}
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
