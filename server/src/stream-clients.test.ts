import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, parseServerMessage } from '@proclens/shared';
import type { ServerMessage, Snapshot } from '@proclens/shared';
import { testProcess, testSnapshot } from '@proclens/shared/testing';
import { createLogger } from './logger.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';
import { CLIENT_FRAME_RATE, HEARTBEAT_MS, MAX_BAD_FRAMES, MAX_BUFFERED_BYTES, RESYNC_GAP_MS, StreamClients } from './stream-clients.ts';
import type { Connection } from './stream-clients.ts';

/** A feed the test drives: `publish` makes the next tick, with one more process each time. */
function stubFeed(): SnapshotFeed & { publish(): void; subscribers: number } {
  let snapshot: Snapshot = testSnapshot([testProcess(1, 0)], [], 0);
  const subscribers = new Set<(next: Snapshot, previous: Snapshot) => void>();
  return {
    current: () => snapshot,
    subscribe: (fn) => {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    publish: () => {
      const previous = snapshot;
      const pid = previous.processes.length + 1;
      snapshot = testSnapshot([...previous.processes, testProcess(pid, 1)], [], previous.takenAt + 1000);
      for (const fn of subscribers) fn(snapshot, previous);
    },
    get subscribers() {
      return subscribers.size;
    },
  };
}

/** A socket whose unsent bytes the test sets: what ws reports as `bufferedAmount`. */
function fakeConnection() {
  const sent: ServerMessage[] = [];
  const state = { open: true, buffered: 0, closed: null as { code: number; reason: string } | null, pings: 0, pongs: 0, terminated: false };
  const connection: Connection = {
    send: (text) => {
      const parsed = parseServerMessage(text);
      if (!parsed.ok) throw new Error(`the server sent an invalid message: ${parsed.error}`);
      // The session message (role, playback) follows the first snapshot; these tests are about the stream.
      if (parsed.value.type !== 'session') sent.push(parsed.value);
    },
    get bufferedAmount() {
      return state.buffered;
    },
    isOpen: () => state.open,
    close: (code, reason) => {
      state.closed = { code, reason };
      state.open = false;
    },
    ping: () => void state.pings++,
    pong: () => void state.pongs++,
    terminate: () => {
      state.terminated = true;
      state.open = false;
    },
  };
  return { connection, sent, state };
}

const quiet = createLogger('error', () => undefined);
const types = (sent: ServerMessage[]): string[] => sent.map((m) => m.type);
const seqs = (sent: ServerMessage[]): number[] => sent.map((m) => ('seq' in m ? m.seq : -1));

describe('StreamClients', () => {
  let feed: ReturnType<typeof stubFeed>;
  let clients: StreamClients;
  beforeEach(() => {
    vi.useFakeTimers();
    feed = stubFeed();
    clients = new StreamClients({ feed, log: quiet, now: () => Date.now() });
  });
  afterEach(() => {
    clients.close();
    vi.useRealTimers();
  });

  it('sends a snapshot on connect, then one diff per changed tick, numbered 0, 1, 2, …', () => {
    const { connection, sent } = fakeConnection();
    clients.connect(connection, 'presenter');
    for (let i = 0; i < 4; i++) feed.publish();
    expect(types(sent)).toEqual(['snapshot', 'diff', 'diff', 'diff', 'diff']);
    expect(seqs(sent)).toEqual([0, 1, 2, 3, 4]);
    expect(sent[0]).toMatchObject({ type: 'snapshot', protocol: PROTOCOL_VERSION, snapshot: { takenAt: 0 } });
    expect(sent[1]).toMatchObject({ type: 'diff', diff: { upserted: [expect.objectContaining({ pid: 2 })] as unknown } });
  });

  it('numbers each client on its own: a late joiner starts at 0', () => {
    const early = fakeConnection();
    clients.connect(early.connection, 'presenter');
    feed.publish();
    const late = fakeConnection();
    clients.connect(late.connection, 'audience');
    feed.publish();
    expect(seqs(early.sent)).toEqual([0, 1, 2]);
    // An audience also gets the presenter's view (no seq): the numbering is the stream's.
    expect(seqs(late.sent.filter((m) => m.type === 'snapshot' || m.type === 'diff'))).toEqual([0, 1]);
  });

  it('sends nothing past the bound, then exactly one snapshot once the client drained, and diffs again after it', () => {
    const { connection, sent, state } = fakeConnection();
    clients.connect(connection, 'presenter');
    state.buffered = MAX_BUFFERED_BYTES + 1;
    for (let i = 0; i < 5; i++) feed.publish();
    expect(types(sent)).toEqual(['snapshot']);
    state.buffered = 0;
    feed.publish();
    feed.publish();
    expect(types(sent)).toEqual(['snapshot', 'snapshot', 'diff']);
    // The fresh snapshot holds every change it missed, and numbering goes on without a gap.
    expect(seqs(sent)).toEqual([0, 1, 2]);
    expect(sent[1]).toMatchObject({ type: 'snapshot', snapshot: { processes: expect.arrayContaining([expect.objectContaining({ pid: 7 })]) as unknown } });
  });

  it('counts error replies against the bound too: a client past it gets none', () => {
    const { connection, sent, state } = fakeConnection();
    const handlers = clients.connect(connection, 'presenter');
    state.buffered = MAX_BUFFERED_BYTES + 1;
    handlers.message('not json');
    handlers.message('{"type":"nope"}');
    expect(types(sent)).toEqual(['snapshot']);
    state.buffered = 0;
    handlers.message('not json');
    expect(types(sent)).toEqual(['snapshot', 'error']);
  });

  it('answers the first resync at once', () => {
    const { connection, sent } = fakeConnection();
    const handlers = clients.connect(connection, 'presenter');
    handlers.message('{"type":"resync"}');
    expect(types(sent)).toEqual(['snapshot', 'snapshot']);
    expect(seqs(sent)).toEqual([0, 1]);
  });

  it(`folds repeated resyncs within ${RESYNC_GAP_MS} ms into one snapshot at the end of the gap`, () => {
    const { connection, sent } = fakeConnection();
    const handlers = clients.connect(connection, 'presenter');
    handlers.message('{"type":"resync"}');
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(50);
      handlers.message('{"type":"resync"}');
    }
    expect(types(sent)).toEqual(['snapshot', 'snapshot']);
    vi.advanceTimersByTime(RESYNC_GAP_MS);
    expect(types(sent)).toEqual(['snapshot', 'snapshot', 'snapshot']);
    vi.advanceTimersByTime(RESYNC_GAP_MS * 5);
    expect(types(sent)).toHaveLength(3);
  });

  it(`pings every ${HEARTBEAT_MS} ms and terminates a client that did not answer the last ping`, () => {
    const silent = fakeConnection();
    const answering = fakeConnection();
    clients.connect(silent.connection, 'presenter');
    const handlers = clients.connect(answering.connection, 'presenter');
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect([silent.state.pings, answering.state.pings]).toEqual([1, 1]);
    handlers.pong();
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(silent.state.terminated).toBe(true);
    expect(answering.state.terminated).toBe(false);
    expect(clients.size).toBe(1);
    // A terminated client is sent nothing more.
    feed.publish();
    expect(types(silent.sent)).toEqual(['snapshot']);
  });

  it(`closes a client with 1008 after ${MAX_BAD_FRAMES} malformed frames and ignores what it sends after`, () => {
    const { connection, sent, state } = fakeConnection();
    const handlers = clients.connect(connection, 'presenter');
    for (let i = 0; i < MAX_BAD_FRAMES; i++) handlers.message(i % 2 ? null : '{"type":"resync","x":1}');
    expect(state.closed).toEqual({ code: 1008, reason: 'too many malformed messages' });
    expect(types(sent).filter((t) => t === 'error')).toHaveLength(MAX_BAD_FRAMES - 1);
    state.open = true;
    handlers.message('not json');
    handlers.message('{"type":"resync"}');
    feed.publish();
    expect(types(sent).filter((t) => t !== 'error')).toEqual(['snapshot']);
  });

  it(`closes a client that sends more than ${CLIENT_FRAME_RATE.capacity} frames at once with 1008, and lets one at the steady rate be`, () => {
    const steady = fakeConnection();
    const steadyHandlers = clients.connect(steady.connection, 'presenter');
    for (let i = 0; i < CLIENT_FRAME_RATE.capacity * 3; i++) {
      steadyHandlers.ping(Buffer.from('ping'));
      vi.advanceTimersByTime(1000 / CLIENT_FRAME_RATE.perSecond);
    }
    expect(steady.state.closed).toBeNull();
    expect(steady.state.pongs).toBe(CLIENT_FRAME_RATE.capacity * 3);
    const flooding = fakeConnection();
    const handlers = clients.connect(flooding.connection, 'presenter');
    for (let i = 0; i <= CLIENT_FRAME_RATE.capacity; i++) handlers.message('{"type":"resync"}');
    expect(flooding.state.closed).toEqual({ code: 1008, reason: 'too many messages' });
    // Pings too: answered within the rate, then 1008, then not answered (ws delivers what it had read).
    const pinging = fakeConnection();
    const pingHandlers = clients.connect(pinging.connection, 'presenter');
    for (let i = 0; i < CLIENT_FRAME_RATE.capacity * 2; i++) pingHandlers.ping(Buffer.from('ping'));
    expect(pinging.state.closed).toEqual({ code: 1008, reason: 'too many messages' });
    expect(pinging.state.pongs).toBe(CLIENT_FRAME_RATE.capacity);
  });

  it('serialises a snapshot once for every client that needs it', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    for (let i = 0; i < 5; i++) clients.connect(fakeConnection().connection, 'presenter');
    const snapshotCalls = stringify.mock.calls.filter(([value]) => value === feed.current()).length;
    stringify.mockRestore();
    expect(snapshotCalls).toBe(1);
  });

  it('stops listening to the feed and closes every client with 1001 on close', () => {
    const { connection, state } = fakeConnection();
    clients.connect(connection, 'presenter');
    clients.close();
    expect(state.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(feed.subscribers).toBe(0);
  });
});
