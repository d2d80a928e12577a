import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDetailSchema, snapshotSchema } from '@proclens/shared';
import type { ServerMessage, Snapshot } from '@proclens/shared';
import { openSocket, rawRequest, until } from './test-http.ts';
import { startTestServer } from './test-server.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/proclens.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'proclens-replay-'));
const file = path.join(dir, 'lab.jsonl.gz');
const emptyProc = path.join(dir, 'empty-proc');
mkdirSync(emptyProc);

type Server = Awaited<ReturnType<typeof startTestServer>>;

async function snapshotOf(server: Server, query = ''): Promise<{ status: number; snapshot: Snapshot | null }> {
  const res = await rawRequest(server.base, `/api/snapshot${query}`, server.auth);
  return { status: res.status, snapshot: res.status === 200 ? snapshotSchema.parse(JSON.parse(res.body)) : null };
}

/** A real process that lives for a while, then exits while the recorder watches. */
let sleeper: ChildProcess;
const times = { alive: 0, gone: 0 };

describe('recording the live host, then replaying it', () => {
  beforeAll(async () => {
    const live = await startTestServer(['--record', file]);
    try {
      sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
      const pid = sleeper.pid as number;
      await until(() => live.feed.current().processes.some((p) => p.pid === pid), 15_000, 'the sleeper in the feed');
      times.alive = live.feed.current().takenAt;
      sleeper.kill('SIGKILL');
      await until(() => !live.feed.current().processes.some((p) => p.pid === pid), 15_000, 'the sleeper gone');
      times.gone = live.feed.current().takenAt;
    } finally {
      await live.close();
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a gzip file of JSON Lines: header, snapshot, diffs with their events, end', () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const kinds = lines.map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds[0]).toBe('header');
    expect(kinds[1]).toBe('snapshot');
    expect(kinds).toContain('diff');
    expect(kinds).toContain('event');
    expect(kinds[kinds.length - 1]).toBe('end');
    expect(lines.join('\n')).not.toMatch(/"environ"|"env"/);
  });

  describe('served with --replay, /proc pointing at an empty folder and no engine', () => {
    let server: Server;
    beforeAll(async () => void (server = await startTestServer(['--replay', file, '--proc-root', emptyProc])));
    afterAll(async () => server.close());

    it('answers /api/snapshot?at= before and after the process exited, and 404 outside the recording', async () => {
      const pid = sleeper.pid as number;
      const before = await snapshotOf(server, `?at=${times.alive}`);
      expect(before.snapshot?.processes.some((p) => p.pid === pid && p.name === 'sleep')).toBe(true);
      const after = await snapshotOf(server, `?at=${times.gone}`);
      expect(after.snapshot?.processes.some((p) => p.pid === pid)).toBe(false);
      expect((await snapshotOf(server, `?at=${times.alive - 3_600_000}`)).status).toBe(404);
      expect((await snapshotOf(server, '?at=soon')).status).toBe(400);
      expect((await snapshotOf(server)).snapshot?.processes.length).toBeGreaterThan(0);
    });

    it('opens a recorded process in detail, saying what is live-only', async () => {
      const res = await rawRequest(server.base, `/api/processes/${sleeper.pid}?at=${times.alive}`, server.auth);
      expect(res.status).toBe(200);
      const detail = processDetailSchema.parse(JSON.parse(res.body));
      expect(detail.recordedAt).toBeLessThanOrEqual(times.alive);
      expect(detail.argv).toEqual(['sleep', '300']);
      expect(detail.environ.vars).toEqual([]);
      expect((await rawRequest(server.base, `/api/processes/${sleeper.pid}?at=${times.gone}`, server.auth)).status).toBe(404);
      expect((await rawRequest(server.base, '/api/containers/db', server.auth)).status).toBe(404);
    });

    it('streams the playhead: a snapshot, then the session, the playback state and the timeline', async () => {
      const client = await openSocket(server.base, { headers: server.auth });
      if (!('socket' in client)) throw new Error(`refused ${client.refused}`);
      try {
        await until(() => client.messages.some((m) => m.type === 'timeline'));
        const types = client.messages.map((m) => m.type);
        expect(types.slice(0, 2)).toEqual(['snapshot', 'session']);
        const session = client.messages.find((m): m is Extract<ServerMessage, { type: 'session' }> => m.type === 'session');
        expect(session).toMatchObject({ role: 'presenter', mode: 'replay', share: false });
        const playback = client.messages.find((m): m is Extract<ServerMessage, { type: 'playback' }> => m.type === 'playback');
        expect(playback?.state).toMatchObject({ mode: 'replay', live: false });
        expect(playback?.state.start).toBeLessThanOrEqual(times.alive);
        expect(playback?.state.end).toBeGreaterThanOrEqual(times.gone);
        // A seek to when the sleeper lived brings it into the stream.
        client.socket.send(JSON.stringify({ type: 'pause' }));
        client.socket.send(JSON.stringify({ type: 'seek', at: times.alive }));
        await until(() => client.messages.some((m) => m.type === 'playback' && !m.state.playing && m.state.at === times.alive));
        const seen = await snapshotOf(server);
        expect(seen.snapshot?.processes.some((p) => p.pid === sleeper.pid)).toBe(true);
      } finally {
        client.socket.terminate();
      }
    });
  });
});

/** Runs the real command and waits for it to end (a bad recording must end it, not serve it). */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a bad recording', () => {
  const bad = mkdtempSync(path.join(os.tmpdir(), 'proclens-bad-'));
  afterAll(() => rmSync(bad, { recursive: true, force: true }));
  const header = { kind: 'header', format: 1, protocol: 3, recorder: 'proclens 0.1.0', host: { hostname: 'h', kernel: '6', cpus: 1, bootTime: 0 } };

  it.each([
    [
      'a PNG',
      () => readFileSync(path.resolve(path.dirname(BIN), '../docs/screenshot.png')),
      /line 1 is not (JSON|a header): the file is not a proclens recording/,
    ],
    [
      'another format',
      () => `${JSON.stringify({ ...header, format: 7, startedAt: 1, intervalMs: 1000, keyframeMs: 30000 })}\n`,
      /line 1: the recording is in format 7/,
    ],
    [
      'a gzip stream cut short',
      () => gzipSync(Buffer.from(`${JSON.stringify({ ...header, startedAt: 1, intervalMs: 1000, keyframeMs: 30000 })}\n`.repeat(50))).subarray(0, 60),
      /truncated/,
    ],
    [
      'a file with no end line',
      () => `${JSON.stringify({ ...header, startedAt: 1, intervalMs: 1000, keyframeMs: 30000 })}\n`,
      /stops after line 1 without its end line/,
    ],
  ])('stops the server at start with exit code 1 and names the line: %s', async (_label, content, message) => {
    const target = path.join(bad, 'recording.jsonl');
    writeFileSync(target, content());
    const result = await run(['--replay', target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(target);
    expect(result.stdout).not.toMatch(/http:\/\//);
  });

  it('says so when the file does not exist', async () => {
    const result = await run(['--replay', path.join(bad, 'missing.jsonl.gz')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read the recording .*missing\.jsonl\.gz: .*(ENOENT|no such file)/);
  });
});
