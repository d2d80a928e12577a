import { PROTOCOL_VERSION, applyDiff } from '@proclens/shared';
import type { ServerMessage, Snapshot } from '@proclens/shared';
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
  /** What happened since the page opened, newest first. */
  events: TimelineEvent[];
}

export type StreamEvent = { kind: 'message'; message: ServerMessage } | { kind: 'open' } | { kind: 'closed' };

export const initialStreamState: StreamState = { snapshot: null, seq: -1, connection: 'connecting', needsResync: false, error: null, events: [] };

/** The one reducer of server messages. Pure. */
export function reduceStream(state: StreamState, event: StreamEvent): StreamState {
  switch (event.kind) {
    case 'open':
      return { ...state, connection: 'live', error: null };
    case 'closed':
      return { ...state, connection: 'reconnecting', needsResync: false };
    case 'message':
      return reduceMessage(state, event.message);
    default:
      return assertNever(event);
  }
}

function reduceMessage(state: StreamState, message: ServerMessage): StreamState {
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
