import { useMemo } from 'react';
import type { ProcessInfo } from '@proclens/shared';
import type { TimelineEvent } from './build-timeline-events.ts';

/** One formatter for every row: toLocaleTimeString builds a new one per call, which shows on a busy host. */
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
/** Rows drawn: the list scrolls, and a busy host has hundreds. */
const SHOWN = 80;

interface Props {
  /** Container events and process events, each newest first. */
  events: readonly TimelineEvent[];
  /** The Docker focus: only containers, their processes and the runtime. */
  focus: boolean;
  byPid: ReadonlyMap<number, ProcessInfo>;
  onSelectPid: (pid: number) => void;
  onSelectContainer: (id: string) => void;
  onFocus: (on: boolean) => void;
}

/** Births and deaths of containers and processes as they happen; click one to go to it. */
export function Timeline({ events, focus, byPid, onSelectPid, onSelectContainer, onFocus }: Props) {
  const shown = useMemo(() => (focus ? events.filter((e) => e.runtime) : events).slice(0, SHOWN), [events, focus]);
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
