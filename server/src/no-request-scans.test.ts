import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { DETAIL_RATE } from './create-live-api.ts';
import { openSocket, until } from './test-http.ts';
import type { OpenSocket } from './test-http.ts';
import { startChildServer } from './test-child-server.ts';
import { startTestServer } from './test-server.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/**
 * Short enough that the monitor runs no births check between its ticks (those publish whenever
 * the shared host starts a process, which other users of this machine do all the time): every
 * publish then comes from the timer, which is what this test counts.
 */
const INTERVAL_MS = 250;
const WINDOW_MS = 3000;
/** Clients of the flood, each from its own loopback address, so the per-client limit lets most requests through. */
const SOURCES = 16;

function get(base: string, path: string, headers: Record<string, string>, localAddress: string, agent: Agent): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers, localAddress, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Requests unknown pids for `ms` from a separate process (so the flood does not share the
 * server's thread), from SOURCES loopback addresses; resolves with the count of each status.
 */
function floodFromChild(server: Server, ms: number): Promise<Record<string, number>> {
  const script = `
    const http = require('node:http');
    const [base, auth, ms, sources] = process.argv.slice(1);
    const url = new URL(base);
    const end = Date.now() + Number(ms);
    const statuses = {};
    let n = 0;
    const one = (agent, localAddress) => new Promise((resolve) => {
      const req = http.request({ host: url.hostname, port: url.port, path: '/api/processes/' + (4194000 + (n++ % 300)), headers: { Authorization: auth }, agent, localAddress }, (res) => {
        res.resume();
        res.on('end', () => { statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1; resolve(); });
      });
      req.on('error', () => resolve());
      req.end();
    });
    const loop = async (agent, localAddress) => { while (Date.now() < end) await one(agent, localAddress); };
    const loops = [];
    for (let s = 0; s < Number(sources); s++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      for (let k = 0; k < 4; k++) loops.push(loop(agent, '127.0.0.' + (s + 2)));
    }
    Promise.all(loops).then(() => process.stdout.write(JSON.stringify(statuses)));
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, server.base, server.auth.Authorization ?? '', String(ms), String(SOURCES)], (err, stdout) =>
      err ? reject(new Error(err.message)) : resolve(JSON.parse(stdout) as Record<string, number>),
    );
  });
}

/** What the scanner and the stream did over `ms`: ticks counted at the feed, frames at a client. */
async function watch(server: Server, socket: OpenSocket, ms: number, during: (stop: () => boolean) => Promise<void>) {
  let ticks = 0;
  const unsubscribe = server.feed.subscribe(() => void ticks++);
  const framesBefore = socket.messages.length;
  const started = Date.now();
  await during(() => Date.now() > started + ms);
  unsubscribe();
  return { ticks, frames: socket.messages.slice(framesBefore), elapsedMs: Date.now() - started };
}

describe('a flood of detail requests for pids that do not exist', () => {
  let server: Server;
  let socket: OpenSocket;
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    server = await startTestServer(['--interval', String(INTERVAL_MS)]);
    const opened = await openSocket(server.base, { headers: server.auth });
    if (!('socket' in opened)) throw new Error(`refused ${opened.refused}`);
    socket = opened;
    sockets.push(opened.socket);
    await until(() => socket.messages.length > 0, 20_000, 'the first snapshot');
  }, 30_000);
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await server.close();
  });

  it('neither scans nor broadcasts: the tick rate stays the timer’s and the stream sends at most one diff per tick', async () => {
    const quiet = await watch(server, socket, WINDOW_MS, (stop) => until(stop, WINDOW_MS + 1000, 'the window'));

    let statuses: Record<string, number> = {};
    const flood = await watch(server, socket, WINDOW_MS, async () => void (statuses = await floodFromChild(server, WINDOW_MS)));
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);

    const summary = `quiet: ${quiet.ticks} ticks, ${quiet.frames.length} frames in ${quiet.elapsedMs} ms; flood: ${flood.ticks} ticks, ${flood.frames.length} frames in ${flood.elapsedMs} ms, answers ${JSON.stringify(statuses)}`;
    // A flood (the server once scanned for each of these), answered 404 or, past a client's rate,
    // 429; many times more requests than ticks, so a scan per request could not hide.
    expect(requests, summary).toBeGreaterThan(5 * (WINDOW_MS / INTERVAL_MS + 2));
    expect(
      Object.keys(statuses).every((s) => s === '404' || s === '429'),
      summary,
    ).toBe(true);
    // Ticks come from the timer alone, one per interval as in the quiet window (an answer that
    // scanned made one per request, hundreds here), and the stream has at most one diff per tick.
    expect(quiet.ticks, summary).toBeLessThanOrEqual(quiet.elapsedMs / INTERVAL_MS + 2);
    expect(flood.ticks, summary).toBeLessThanOrEqual(flood.elapsedMs / INTERVAL_MS + 2);
    // (+1: a diff of the tick just before the window may arrive in it.)
    expect(flood.frames.length, summary).toBeLessThanOrEqual(flood.ticks + 1);
    expect(
      flood.frames.every((m) => m.type === 'diff'),
      summary,
    ).toBe(true);
  }, 60_000);

  it('answers a client past its rate 429 with Retry-After and a body that says why, and other clients still 200', async () => {
    // The command as a separate process, so that how fast it answers is its own, not this runner's.
    const child = await startChildServer(['--interval', String(INTERVAL_MS)]);
    const auth = { Authorization: `Bearer ${child.token}` };
    const url = new URL(child.base);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const ask = (): Promise<{ status: number; retryAfter?: string; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path: `/api/processes/${process.pid}`, headers: auth, agent, localAddress: '127.0.0.100' },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      // Batches far larger than the rate refills while they are answered, until one is refused.
      const answers: Awaited<ReturnType<typeof ask>>[] = [];
      const deadline = Date.now() + 20_000;
      while (!answers.some((a) => a.status === 429) && Date.now() < deadline) {
        answers.push(...(await Promise.all(Array.from({ length: DETAIL_RATE.capacity }, ask))));
      }
      const refused = answers.filter((a) => a.status === 429);
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(DETAIL_RATE.capacity);
      expect(refused.length).toBeGreaterThan(0);
      expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
      expect(Number(refused[0]?.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused[0]?.body ?? '')).toMatchObject({ error: expect.stringMatching(/too many detail requests/) as unknown });
      expect(await get(child.base, `/api/processes/${process.pid}`, auth, '127.0.0.101', new Agent())).toBe(200);
    } finally {
      agent.destroy();
      await child.close();
    }
  }, 60_000);
});
