import { PROTOCOL_VERSION, applyDiff, isContainerEvent } from '@proclens/shared';
import type { ContainerInfo, PlaybackState, ProcessInfo, ServerMessage, SharedView, Snapshot, TimelineEvent as RecordedEvent } from '@proclens/shared';
import { annotateEvents, buildTimelineEvents } from './build-timeline-events.ts';
import type { TimelineEvent } from './build-timeline-events.ts';

/** The timeline keeps this many process events, newest first. */
const PROCESS_EVENTS = 200;
/** And this many container events, apart: process churn never pushes a container's start out. */
const CONTAINER_EVENTS = 100;
/** How long an exited process or a removed container fades (ms; the CSS animations in styles.css). */
export const FADE_MS = 2500;
/**
 * How long it is kept: a little longer than the fade, transparent at the end, so that a busy page
 * that starts the fade late still shows all of it before the node goes.
 */
const KEEP_MS = FADE_MS + 1500;

/** Something that has just left, kept a moment so it can fade out rather than vanish. */
export interface Departed<T> {
  item: T;
  /** When this page learnt it had gone (its own clock, ms). */
  at: number;
}

export interface StreamState {
  snapshot: Snapshot | null;
  seq: number;
  connection: 'connecting' | 'live' | 'reconnecting';
  /** Set when a sequence gap was seen: the socket owner asks for a resync. */
  needsResync: boolean;
  error: string | null;
  /** What happened to containers since the page opened (or up to the playhead), newest first. */
  containerEvents: TimelineEvent[];
  /** What happened to processes, newest first. */
  processEvents: TimelineEvent[];
  departedProcesses: Departed<ProcessInfo>[];
  departedContainers: Departed<ContainerInfo>[];
  /** When each container's init process (by pid) was first seen by this page (its clock): a start is shown from then. */
  appeared: Readonly<Record<string, { pid: number; at: number }>>;
  /** Who this page is to the server, once it said so. */
  session: { role: 'presenter' | 'audience'; share: boolean; mode: 'live' | 'replay'; audienceUrl: string | null } | null;
  /** The playhead, and the page's clock (`performance.now()`) when it arrived, to move it on between messages. */
  playback: { state: PlaybackState; receivedAt: number } | null;
  /** Container events over the whole history, oldest first, for the player bar. */
  markers: RecordedEvent[];
  /** Audience: what the presenter shows. */
  presenterView: SharedView | null;
  /** Presenter with --share: how many audience pages there are, and follow. */
  presence: { audience: number; following: number } | null;
}

/**
 * `at`: when the message arrived, by this page's wall clock (fades and toasts); `receivedAt`: the
 * same moment by `performance.now()` (the player bar moves the playhead on from it).
 */
export type StreamEvent = { kind: 'message'; message: ServerMessage; at: number; receivedAt?: number } | { kind: 'open' } | { kind: 'closed' };

export const initialStreamState: StreamState = {
  snapshot: null,
  seq: -1,
  connection: 'connecting',
  needsResync: false,
  error: null,
  containerEvents: [],
  processEvents: [],
  departedProcesses: [],
  departedContainers: [],
  appeared: {},
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
      return reduceMessage(state, event.message, event.at, event.receivedAt ?? 0);
    default:
      return assertNever(event);
  }
}

function reduceMessage(state: StreamState, message: ServerMessage, at: number, receivedAt: number): StreamState {
  switch (message.type) {
    case 'snapshot':
      if (message.protocol !== PROTOCOL_VERSION) return { ...state, error: `server speaks protocol ${String(message.protocol)}` };
      // After a resync or a reconnect, what changed meanwhile still belongs on the timeline.
      return {
        ...withChange(state, state.snapshot, message.snapshot, at),
        snapshot: message.snapshot,
        seq: message.seq,
        needsResync: false,
        error: null,
      };
    case 'diff': {
      if (!state.snapshot || message.seq !== state.seq + 1) return { ...state, needsResync: true };
      const snapshot = applyDiff(state.snapshot, message.diff);
      return { ...withChange(state, state.snapshot, snapshot, at), snapshot, seq: message.seq };
    }
    case 'error':
      return { ...state, error: message.message };
    case 'session':
      return { ...state, session: { role: message.role, share: message.share, mode: message.mode, audienceUrl: message.audienceUrl } };
    case 'playback':
      return { ...state, playback: { state: message.state, receivedAt } };
    case 'markers':
      return { ...state, markers: message.markers };
    case 'timeline': {
      // The server's history up to the playhead: after a jump, what the page saw before is not the
      // past any more, and what the jump removed did not leave (nothing fades).
      // Each event is placed on this page's clock as far before now as it was before the playhead:
      // a seek to a container's start pulses it, a seek to an hour later does not.
      const playhead = state.playback?.state.at;
      const events = (state.snapshot ? annotateEvents(message.events, state.snapshot) : []).map((e) =>
        playhead === undefined ? e : { ...e, seenAt: at - Math.max(0, playhead - e.at), history: true },
      );
      return {
        ...state,
        containerEvents: events.filter((e) => isContainerEvent(e)).slice(0, CONTAINER_EVENTS),
        processEvents: events.filter((e) => !isContainerEvent(e)).slice(0, PROCESS_EVENTS),
        departedProcesses: [],
        departedContainers: [],
      };
    }
    case 'presenter':
      return { ...state, presenterView: message.view };
    case 'presence':
      return { ...state, presence: { audience: message.audience, following: message.following } };
    default:
      return assertNever(message);
  }
}

/** Timeline events and departures between two snapshots. */
function withChange(state: StreamState, before: Snapshot | null, after: Snapshot, at: number): StreamState {
  if (!before) return state;
  const fresh = buildTimelineEvents(before, after)
    .reverse()
    .map((e) => ({ ...e, seenAt: at }));
  const containerEvents = fresh.filter((e) => isContainerEvent(e));
  const processEvents = fresh.filter((e) => !isContainerEvent(e));
  const live = new Map(after.processes.map((p) => [p.pid, p.startTime]));
  const liveContainers = new Set(after.containers.map((c) => c.id));
  return {
    ...state,
    appeared: appearances(state.appeared, after, live, at),
    containerEvents: containerEvents.length ? [...containerEvents, ...state.containerEvents].slice(0, CONTAINER_EVENTS) : state.containerEvents,
    processEvents: processEvents.length ? [...processEvents, ...state.processEvents].slice(0, PROCESS_EVENTS) : state.processEvents,
    departedProcesses: departures(
      state.departedProcesses,
      before.processes.filter((p) => !live.has(p.pid) && !p.kernelThread),
      at,
      (p) => `${p.pid}:${p.startTime}`,
      (p) => live.has(p.pid) && live.get(p.pid) !== p.startTime,
    ),
    departedContainers: departures(
      state.departedContainers,
      before.containers.filter((c) => !liveContainers.has(c.id)),
      at,
      (c) => c.id,
      () => false,
    ),
  };
}

/** When each container's init (by pid) was first in the process list; containers gone are dropped. */
function appearances(appeared: StreamState['appeared'], after: Snapshot, live: ReadonlyMap<number, number>, at: number): StreamState['appeared'] {
  let changed = false;
  const next: Record<string, { pid: number; at: number }> = {};
  for (const c of after.containers) {
    const known = appeared[c.id];
    if (c.pid !== null && live.has(c.pid) && known?.pid !== c.pid) {
      next[c.id] = { pid: c.pid, at };
      changed = true;
    } else if (known) next[c.id] = known;
  }
  changed ||= Object.keys(next).length !== Object.keys(appeared).length;
  return changed ? next : appeared;
}

/**
 * The departed list after `gone` left at `at`: old entries expire, and one whose place is taken
 * by another (a reused pid) is dropped. The same thing listed again for a moment and gone once
 * more keeps its first departure, so its fade carries on rather than starting over (the page
 * never draws a departed entry while it is listed).
 */
function departures<T>(
  list: readonly Departed<T>[],
  gone: readonly T[],
  at: number,
  identity: (item: T) => string,
  replaced: (item: T) => boolean,
): Departed<T>[] {
  const kept = list.filter((d) => at - d.at < KEEP_MS && !replaced(d.item));
  const known = new Set(kept.map((d) => identity(d.item)));
  const fresh = gone.filter((item) => !known.has(identity(item)));
  if (fresh.length === 0 && kept.length === list.length) return list as Departed<T>[];
  return [...kept, ...fresh.map((item) => ({ item, at }))];
}

function assertNever(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
