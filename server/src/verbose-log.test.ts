import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testProcess, testSnapshot } from '@proclens/shared/testing';
import { parseEngineEvent } from './docker-watcher.ts';
import { createLogger } from './logger.ts';
import { parseCli } from './parse-cli.ts';
import { countTickChanges } from './process-monitor.ts';
import { startServer } from './start-server.ts';
import type { RunningServer } from './start-server.ts';
import { openSocket, rawRequest, until } from './test-http.ts';

// Lines of dockerd's /events stream (Engine 28), as the API sends them.
const CREATE =
  '{"status":"create","id":"c6dcf1fc56917b66e52ac4db111f64334eb1605594e3f6d6118c62cc8d6cb30f","from":"lab/busybox","Type":"container","Action":"create","Actor":{"ID":"c6dcf1fc56917b66e52ac4db111f64334eb1605594e3f6d6118c62cc8d6cb30f","Attributes":{"image":"lab/busybox","name":"evtest"}},"scope":"local","time":1796043813,"timeNano":1796043813185404516}';
const DIE =
  '{"status":"die","id":"c6dcf1fc56917b66e52ac4db111f64334eb1605594e3f6d6118c62cc8d6cb30f","from":"lab/busybox","Type":"container","Action":"die","Actor":{"ID":"c6dcf1fc56917b66e52ac4db111f64334eb1605594e3f6d6118c62cc8d6cb30f","Attributes":{"exitCode":"0","image":"lab/busybox","name":"evtest"}},"scope":"local","time":1796043814,"timeNano":1796043814901905310}';

describe('parseEngineEvent', () => {
  it.each([
    [CREATE, { type: 'container', action: 'create', id: 'c6dcf1fc5691', name: 'evtest' }],
    [DIE, { type: 'container', action: 'die', id: 'c6dcf1fc5691', name: 'evtest' }],
    ['{"Type":"network","Action":"connect","Actor":{"ID":"abc"}}', { type: 'network', action: 'connect', id: 'abc', name: null }],
  ])('parseEngineEvent reads an engine event line', (line, expected) => {
    expect(parseEngineEvent(line)).toEqual(expected);
  });

  it.each(['', '{', CREATE.slice(0, 80), '{"status":"ok"}', 'null', '[]', '{"Type":1,"Action":"x","Actor":{"ID":"y"}}'])(
    'parseEngineEvent answers null for %j',
    (line) => {
      expect(parseEngineEvent(line)).toBeNull();
    },
  );
});

describe('countTickChanges', () => {
  it('countTickChanges counts a reused pid as one exit and one birth', () => {
    const before = testSnapshot([testProcess(1, 0), testProcess(20, 1, { startTime: 100 }), testProcess(30, 1)]);
    const after = testSnapshot([testProcess(1, 0), testProcess(20, 1, { startTime: 900 }), testProcess(40, 1)]);
    expect(countTickChanges(before, after)).toEqual({ processes: 3, containers: 0, born: 2, exited: 2 });
    expect(countTickChanges(after, after)).toEqual({ processes: 3, containers: 0, born: 0, exited: 0 });
  });
});

describe('--verbose', () => {
  let running: RunningServer | undefined;
  let webRoot = '';

  afterEach(async () => {
    await running?.close();
    running = undefined;
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  async function start(verbose: boolean): Promise<{ lines: Record<string, unknown>[]; base: string; token: string }> {
    const cli = parseCli(['--port', '0', '--interval', '200', ...(verbose ? ['--verbose'] : [])], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    if (cli.kind !== 'run') throw new Error('bad settings');
    const lines: Record<string, unknown>[] = [];
    webRoot = mkdtempSync(path.join(os.tmpdir(), 'proclens-web-'));
    // The same choice main.ts makes from the flag.
    const log = createLogger(cli.settings.verbose ? 'debug' : 'info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    running = await startServer(cli.settings, webRoot, log);
    return { lines, base: `http://127.0.0.1:${running.port}`, token: running.token };
  }

  it('--verbose logs each request, WebSocket and tick as JSON debug lines', async () => {
    const { lines, base, token } = await start(true);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await rawRequest(base, '/api/snapshot', auth)).status).toBe(200);
    const opened = await openSocket(base, { origin: base, headers: auth });
    if ('refused' in opened) throw new Error(`refused ${opened.refused}`);
    opened.socket.close();
    await opened.closed;
    const has = (message: string, fields: Record<string, unknown> = {}) =>
      lines.some((l) => l.level === 'debug' && l.message === message && Object.entries(fields).every(([k, v]) => l[k] === v));
    await until(
      () => has('request', { method: 'GET', path: '/api/snapshot', status: 200 }) && has('websocket connected') && has('websocket closed') && has('tick'),
      20_000,
      'the debug lines',
    );
    const tick = lines.find((l) => l.message === 'tick');
    expect(tick).toMatchObject({
      processes: expect.any(Number) as number,
      born: expect.any(Number) as number,
      exited: expect.any(Number) as number,
      ms: expect.any(Number) as number,
    });
    expect(Number(tick?.processes)).toBeGreaterThan(1);
  });

  it('without --verbose nothing is logged at debug level', async () => {
    const { lines, base, token } = await start(false);
    expect((await rawRequest(base, '/api/snapshot', { Authorization: `Bearer ${token}` })).status).toBe(200);
    // Three ticks at least (200 ms each), polled on the snapshot's own clock.
    const first = running?.feed.current().takenAt ?? 0;
    await until(() => (running?.feed.current().takenAt ?? 0) >= first + 600, 10_000, 'three ticks');
    expect(lines.filter((l) => l.level === 'debug')).toEqual([]);
  });
});
