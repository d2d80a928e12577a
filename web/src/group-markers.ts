import type { TimelineEvent } from '@proclens/shared';

/** One mark on the scrubber: the events drawn at the same place, in time order. */
export interface MarkerGroup {
  /** Where a click goes: the last event's moment, so the view shows all of them done. */
  at: number;
  /** Left edge as a fraction of the shown span. */
  position: number;
  events: TimelineEvent[];
  /** The last event ends something (drawn as a stop). */
  stops: boolean;
}

/**
 * Groups the events the scrubber shows so no mark hides another: a container created, renamed and
 * started within one tick, or two containers stopped together, would otherwise be drawn on top of
 * each other and only the top one could be clicked. `minGap` is the smallest distance between two
 * marks as a fraction of the span (a mark is a few pixels wide). Pure.
 */
export function groupMarkers(markers: readonly TimelineEvent[], start: number, end: number, minGap: number): MarkerGroup[] {
  const span = Math.max(1, end - start);
  const groups: MarkerGroup[] = [];
  const shown = markers.filter((m) => m.at >= start && m.at <= end).sort((a, b) => a.at - b.at);
  for (const m of shown) {
    const position = (m.at - start) / span;
    const last = groups.at(-1);
    const stops = / stopped| died| removed/.test(m.text);
    if (last && position - last.position < minGap) {
      last.events.push(m);
      last.at = m.at;
      last.stops = stops;
    } else groups.push({ at: m.at, position, events: [m], stops });
  }
  return groups;
}
