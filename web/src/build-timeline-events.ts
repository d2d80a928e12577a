// The timeline's events are built in shared/ now, so a recording's event lines and the player's
// markers come from the same code as the page's timeline.
export { buildTimelineEvents } from '@proclens/shared';
export type { TimelineEvent } from '@proclens/shared';
