import { useMemo } from 'react';
import type { ProcessInfo } from '@proclens/shared';
import type { TimelineEvent } from './build-timeline-events.ts';
import { mergeEvents } from './merge-events.ts';

/** One formatter for every row: toLocaleTimeString builds a new one per call, which shows on a busy host. */
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
/** Process rows drawn: the list scrolls, and a busy host has hundreds. Container rows are all drawn. */
const PROCESS_ROWS = 60;

interface Props {
  /** Container events, newest first: all are drawn, whatever the churn. */
  containerEvents: readonly TimelineEvent[];
  /** Process events, newest first. */
  processEvents: readonly TimelineEvent[];
  /** The Docker focus: only containers, their processes and the runtime. */
  focus: boolean;
  byPid: ReadonlyMap<number, ProcessInfo>;
  onSelectPid: (pid: number) => void;
  onSelectContainer: (id: string) => void;
  onFocus: (on: boolean) => void;
  /** With history to scrub (replay, rewind) and for the presenter: a time goes back to that moment. */
  onSeek?: (at: number) => void;
}

/** Births and deaths of containers and processes as they happen; click one to go to it. */
export function Timeline({ containerEvents, processEvents, focus, byPid, onSelectPid, onSelectContainer, onFocus, onSeek }: Props) {
  const shown = useMemo(
    () => mergeEvents(containerEvents, (focus ? processEvents.filter((e) => e.runtime) : processEvents).slice(0, PROCESS_ROWS)),
    [containerEvents, processEvents, focus],
  );
  return (
    <section className="timeline" aria-label="Events" data-testid="timeline">
      <header>
        <h2>Events</h2>
        <label className="toggle" title="Only containers, their processes and the runtime">
          <input type="checkbox" checked={focus} onChange={(e) => onFocus(e.target.checked)} data-testid="timeline-focus" /> Docker only
        </label>
      </header>
      {shown.length === 0 ? <p className="muted">Nothing has happened since the page opened.</p> : null}
      <ol>
        {shown.map((e) => {
          const target =
            e.pid !== null && byPid.has(e.pid) ? () => onSelectPid(e.pid as number) : e.containerId ? () => onSelectContainer(e.containerId as string) : null;
          return (
            <li key={e.id} className={`event ${e.kind}`} data-testid="timeline-event" data-kind={e.kind}>
              {onSeek ? (
                <button type="button" className="link-button" data-testid="timeline-seek" title="Show the host at this moment" onClick={() => onSeek(e.at)}>
                  <time>{TIME.format(e.at)}</time>
                </button>
              ) : (
                <time>{TIME.format(e.at)}</time>
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
