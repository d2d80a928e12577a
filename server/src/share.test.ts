import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { ServerMessage, SharedView } from '@proclens/shared';
import { RateGate } from './rate-gate.ts';
import { openSocket, rawRequest, until } from './test-http.ts';
import type { OpenSocket } from './test-http.ts';
import { startTestServer } from './test-server.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

const view: SharedView = {
  selection: { pid: 1, startTime: null },
  container: null,
  query: 'sleep',
  matchIndex: -1,
  view: 'kernel',
  kernelThreads: false,
  workshop: true,
  dockerFocus: false,
  folded: [],
  expandedGroups: [],
  framing: 'process',
  fits: 0,
  lessonStep: null,
  section: null,
};

function last<T extends ServerMessage['type']>(socket: OpenSocket, type: T): Of<T> | undefined {
  return socket.messages.filter((m): m is Of<T> => m.type === type).at(-1);
}

describe('a shared live server (--share, rewind on)', () => {
  let server: Server;
  const sockets: WebSocket[] = [];
  const join = async (token: string): Promise<OpenSocket> => {
    const opened = await openSocket(server.base, { headers: { Authorization: `Bearer ${token}` } });
    if (!('socket' in opened)) throw new Error(`refused ${opened.refused}`);
    sockets.push(opened.socket);
    await until(() => opened.messages.some((m) => m.type === 'session'));
    return opened;
  };
  beforeAll(async () => void (server = await startTestServer(['--share'])));
  afterAll(async () => server.close());
  afterEach(() => sockets.splice(0).forEach((s) => s.terminate()));

  it('prints a presenter and an audience address, and tells each page its role', async () => {
    expect(server.urls.map((u) => u.label)).toEqual(['dashboard', 'presenter', 'audience']);
    const audienceUrl = server.urls[2]?.url ?? '';
    expect(audienceUrl).toContain(`token=${server.audienceToken}`);
    const presenter = await join(server.token);
    const audience = await join(server.audienceToken as string);
    expect(last(presenter, 'session')).toMatchObject({ role: 'presenter', share: true, mode: 'live', audienceUrl });
    expect(last(audience, 'session')).toMatchObject({ role: 'audience', share: true, mode: 'live', audienceUrl: null });
    expect(last(audience, 'playback')?.state).toMatchObject({ mode: 'live', live: true });
  });

  it('hands the presenter view to the audience within a second, and the audience cannot present or drive playback', async () => {
    const presenter = await join(server.token);
    const audience = await join(server.audienceToken as string);
    await until(() => last(audience, 'presenter') !== undefined);
    const sent = Date.now();
    presenter.socket.send(JSON.stringify({ type: 'present', view }));
    await until(() => last(audience, 'presenter')?.view?.query === 'sleep', 5_000, 'the view at the audience');
    expect(Date.now() - sent).toBeLessThan(1_000);

    const before = presenter.messages.length;
    for (const message of [
      { type: 'pause' },
      { type: 'seek', at: Date.now() - 1000 },
      { type: 'live' },
      { type: 'speed', speed: 8 },
      { type: 'present', view: { ...view, query: 'hijack' } },
    ]) {
      audience.socket.send(JSON.stringify(message));
    }
    await until(() => audience.messages.filter((m) => m.type === 'error').length === 5, 5_000, 'five refusals');
    expect(last(audience, 'error')?.message).toMatch(/only the presenter/);
    // Nothing moved for anyone: still live, still the presenter's own view.
    await new Promise((r) => setTimeout(r, 300));
    expect(presenter.messages.slice(before).filter((m) => m.type === 'playback')).toEqual([]);
    expect(last(audience, 'presenter')?.view?.query).toBe('sleep');
    expect((await rawRequest(server.base, '/api/snapshot', { Authorization: `Bearer ${server.audienceToken}` })).status).toBe(200);
  });

  it('tells the presenter how many follow as audience pages join, break away and leave', async () => {
    const presenter = await join(server.token);
    const first = await join(server.audienceToken as string);
    await join(server.audienceToken as string);
    await until(() => last(presenter, 'presence')?.following === 2, 5_000, 'two following');
    first.socket.send(JSON.stringify({ type: 'follow', following: false }));
    await until(() => last(presenter, 'presence')?.following === 1, 5_000, 'one breaks away');
    expect(last(presenter, 'presence')?.audience).toBe(2);
    first.socket.terminate();
    await until(() => last(presenter, 'presence')?.audience === 1, 5_000, 'one leaves');
  });

  it('the presenter scrubs back: every page gets the playhead and the timeline up to it, and "live" returns', async () => {
    const presenter = await join(server.token);
    const audience = await join(server.audienceToken as string);
    await until(() => (last(presenter, 'playback')?.state.end ?? 0) - (last(presenter, 'playback')?.state.start ?? 0) > 500, 15_000, 'some history');
    const state = last(presenter, 'playback')?.state;
    const target = state?.start as number;
    presenter.socket.send(JSON.stringify({ type: 'seek', at: target }));
    await until(() => last(audience, 'playback')?.state.live === false, 5_000, 'the audience rewound');
    expect(last(audience, 'playback')?.state).toMatchObject({ live: false, playing: false, at: target });
    const timelines = audience.messages.filter((m) => m.type === 'timeline');
    expect(timelines.length).toBeGreaterThanOrEqual(2);
    presenter.socket.send(JSON.stringify({ type: 'live' }));
    await until(() => last(audience, 'playback')?.state.live === true, 5_000, 'live again');
  });
});

describe('RateGate', () => {
  it('RateGate lets a burst through, then one per gap, and keeps only the last frame over the limit', async () => {
    let now = 0;
    const gate = new RateGate(3, 50, () => now);
    const ran: number[] = [];
    for (let i = 0; i < 10; i++) gate.pass(() => ran.push(i));
    expect(ran).toEqual([0, 1, 2]);
    now = 60;
    await until(() => ran.length === 4, 2_000);
    expect(ran).toEqual([0, 1, 2, 9]);
    gate.close();
  });
});

describe('hostile frames from either token', () => {
  let live: Server;
  let replay: Server;
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo/lesson-containers-are-processes.jsonl.gz');
  beforeAll(async () => {
    live = await startTestServer(['--share']);
    replay = await startTestServer(['--share', '--replay', file]);
  });
  afterAll(async () => {
    await live.close();
    await replay.close();
  });

  it('nothing a presenter or the audience sends throws: every server keeps answering (fuzz)', async () => {
    const number = fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 1.5));
    const frame = fc.oneof(
      fc.record({ type: fc.constantFrom('play', 'pause', 'live', 'resync') }),
      fc.record({ type: fc.constant('seek'), at: number }),
      fc.record({ type: fc.constant('speed'), speed: fc.oneof(number, fc.constantFrom(0.25, 32)) }),
      fc.record({ type: fc.constant('follow'), following: fc.oneof(fc.boolean(), fc.string()) }),
      fc.record({
        type: fc.constant('present'),
        view: fc.oneof(
          fc.jsonValue(),
          fc.constant(view),
          fc.tuple(fc.string(), number).map(([query, matchIndex]) => ({ ...view, query, matchIndex })),
        ),
      }),
    );
    for (const server of [live, replay]) {
      for (const token of [server.token, server.audienceToken as string]) {
        const client = await openSocket(server.base, { headers: { Authorization: `Bearer ${token}` } });
        if (!('socket' in client)) throw new Error(`refused ${client.refused}`);
        const frames = fc.sample(frame, 150).map((f) => JSON.stringify(f));
        for (const text of frames) if (client.socket.readyState === client.socket.OPEN) client.socket.send(text);
        await new Promise((r) => setTimeout(r, 1500));
        client.socket.terminate();
        expect((await rawRequest(server.base, '/api/snapshot', server.auth)).status).toBe(200);
        const fresh = await openSocket(server.base, { headers: server.auth });
        if (!('socket' in fresh)) throw new Error(`refused ${fresh.refused}`);
        await until(() => fresh.messages.some((m) => m.type === 'playback'));
        fresh.socket.terminate();
      }
    }
  }, 60_000);
});
