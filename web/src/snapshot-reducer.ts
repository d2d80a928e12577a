import { PROTOCOL_VERSION, applyDiff } from '@proclens/shared';
import type { PlaybackState, ServerMessage, SharedView, Snapshot } from '@proclens/shared';
import { buildTimelineEvents } from './build-timeline-events.ts';
import type { TimelineEvent } from './build-timeline-events.ts';

/** The timeline keeps this many events, newest first. */
const TIMELINE_LENGTH = 200;

export interface StreamState {
  snapshot: Snapshot | null;
  seq: number;
  connection: 'connecting' | 'live' | 'reconnecting';
  /** Set when a sequence gap was seen: the socket owner asks for a resync. */
  needsResync: boolean;
  error: string | null;
  /** What happened since the page opened (or up to the playhead), newest first. */
  events: TimelineEvent[];
  /** Who this page is to the server, once it said so. */
  session: { role: 'presenter' | 'audience'; share: boolean; mode: 'live' | 'replay'; audienceUrl: string | null } | null;
  /** The playhead, and the page's clock (`performance.now()`) when it arrived, to move it on between messages. */
  playback: { state: PlaybackState; receivedAt: number } | null;
  /** Container events over the whole history, oldest first, for the player bar. */
  markers: TimelineEvent[];
  /** Audience: what the presenter shows. */
  presenterView: SharedView | null;
  /** Presenter with --share: how many audience pages there are, and follow. */
  presence: { audience: number; following: number } | null;
}

export type StreamEvent = { kind: 'message'; message: ServerMessage; receivedAt?: number } | { kind: 'open' } | { kind: 'closed' };

export const initialStreamState: StreamState = {
  snapshot: null,
  seq: -1,
  connection: 'connecting',
  needsResync: false,
  error: null,
  events: [],
  session: null,
  playback: null,
  markers: [],
  presenterView: null,
  presence: null,
};

/** The one reducer of server messages. Pure. */
export function reduceStream(state: StreamState, event: StreamEvent): StreamState {
  switch (event.kind) {
    case 'open':
      return { ...state, connection: 'live', error: null };
    case 'closed':
      return { ...state, connection: 'reconnecting', needsResync: false };
    case 'message':
      return reduceMessage(state, event.message, event.receivedAt ?? 0);
    default:
      return assertNever(event);
  }
}

function reduceMessage(state: StreamState, message: ServerMessage, receivedAt: number): StreamState {
  switch (message.type) {
    case 'snapshot':
      if (message.protocol !== PROTOCOL_VERSION) return { ...state, error: `server speaks protocol ${String(message.protocol)}` };
      // After a resync or a reconnect, what changed meanwhile still belongs on the timeline.
      return {
        ...state,
        snapshot: message.snapshot,
        seq: message.seq,
        needsResync: false,
        error: null,
        events: state.snapshot ? withEvents(state.events, state.snapshot, message.snapshot) : state.events,
      };
    case 'diff': {
      if (!state.snapshot || message.seq !== state.seq + 1) return { ...state, needsResync: true };
      const snapshot = applyDiff(state.snapshot, message.diff);
      return { ...state, snapshot, seq: message.seq, events: withEvents(state.events, state.snapshot, snapshot) };
    }
    case 'error':
      return { ...state, error: message.message };
    case 'session':
      return { ...state, session: { role: message.role, share: message.share, mode: message.mode, audienceUrl: message.audienceUrl } };
    case 'playback':
      return { ...state, playback: { state: message.state, receivedAt } };
    case 'markers':
      return { ...state, markers: message.markers };
    case 'timeline':
      // The server's history up to the playhead: after a jump, what the page saw before is not the past any more.
      return { ...state, events: message.events };
    case 'presenter':
      return { ...state, presenterView: message.view };
    case 'presence':
      return { ...state, presence: { audience: message.audience, following: message.following } };
    default:
      return assertNever(message);
  }
}

function withEvents(events: TimelineEvent[], before: Snapshot, after: Snapshot): TimelineEvent[] {
  const fresh = buildTimelineEvents(before, after);
  return fresh.length === 0 ? events : [...fresh.reverse(), ...events].slice(0, TIMELINE_LENGTH);
}

function assertNever(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
