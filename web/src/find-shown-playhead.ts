import type { PlaybackState } from '@proclens/shared';

/**
 * Where the server's playhead stands `elapsedMs` after `state` arrived, as the page draws it
 * between messages: moving at its speed while playing, and on a live host the present moving on
 * too. The server sends a new state whenever it changes course, so no clocks need to agree. Pure.
 */
export function findShownPlayhead(state: PlaybackState, elapsedMs: number): { at: number; start: number; end: number } {
  const elapsed = Math.max(0, elapsedMs);
  const end = state.mode === 'live' ? state.end + elapsed : state.end;
  const at = state.live ? end : state.playing ? Math.min(end, state.at + elapsed * state.speed) : state.at;
  return { at, start: Math.min(state.start, at), end };
}

/** `14:03:22`, or `−2:05` behind the present on a live host. */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** `2:05` (or `1:02:05`) for a span of milliseconds. */
export function formatSpan(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
