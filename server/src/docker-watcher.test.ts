import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDockerEndpoint } from './docker-endpoint.ts';
import { DockerWatcher } from './docker-watcher.ts';
import { createLogger } from './logger.ts';
import { until } from './test-http.ts';

interface Summary {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  Status: string;
  Command: string;
  Created: number;
  Labels: Record<string, string>;
}

const summary = (id: string, name: string, state = 'running', status = 'Up 2 seconds'): Summary => ({
  Id: id.padEnd(64, '0'),
  Names: [`/${name}`],
  Image: 'busybox',
  State: state,
  Status: status,
  Command: 'sleep 1000',
  Created: 1_700_000_000,
  Labels: {},
});

/**
 * A stand-in for the Docker engine on a unix socket, speaking the four endpoints the watcher
 * uses. It stands in for what a real engine will not do on cue: end its event stream, refuse
 * while it restarts, come back. Each response is recorded with its time.
 */
function startStandIn(dir: string) {
  const socketPath = path.join(dir, 'docker.sock');
  const state = { containers: [] as Summary[], down: false, versionAt: [] as number[], listHold: null as Promise<void> | null, lists: 0 };
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://docker');
    const route = url.pathname.replace(/^\/v[\d.]+/, '');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (route === '/version') {
      state.versionAt.push(Date.now());
      return state.down ? json(500, { message: 'engine restarting' }) : json(200, { Version: '99.0-standin', ApiVersion: '1.43' });
    }
    if (state.down) return json(500, { message: 'engine restarting' });
    if (route === '/containers/json') {
      state.lists++;
      // The list as it was when asked, answered when the test lets it go (a busy engine).
      const answer = JSON.stringify(state.containers);
      if (!state.listHold) return json(200, JSON.parse(answer));
      return void state.listHold.then(() => json(200, JSON.parse(answer)));
    }
    const inspect = /^\/containers\/([^/]+)\/json$/.exec(route);
    if (inspect) {
      const index = state.containers.findIndex((c) => c.Id === inspect[1]);
      return index < 0 ? json(404, { message: 'no such container' }) : json(200, { Id: inspect[1], State: { Pid: 1000 + index } });
    }
    if (route === '/events') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    json(404, { message: `no route ${route}` });
  });
  return {
    socketPath,
    state,
    listen: () => new Promise<void>((resolve) => server.listen(socketPath, resolve)),
    /** An event as `docker events` streams it: one JSON object per line. */
    emit: (event: object) => {
      for (const res of streams) res.write(`${JSON.stringify(event)}\n`);
    },
    endEvents: () => {
      for (const res of streams) res.end();
    },
    streams: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('DockerWatcher against a stand-in engine on a unix socket', () => {
  let dir: string;
  let engine: ReturnType<typeof startStandIn>;
  let watcher: DockerWatcher;
  let changes = 0;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'proclens-standin-'));
    engine = startStandIn(dir);
    engine.state.containers = [summary('aaaa', 'web'), summary('bbbb', 'old', 'exited', 'Exited (137) 3 seconds ago')];
    await engine.listen();
    changes = 0;
    watcher = new DockerWatcher(
      parseDockerEndpoint(`unix://${engine.socketPath}`),
      () => void changes++,
      createLogger('error', () => undefined),
    );
    watcher.start();
    await until(() => watcher.getStatus().state === 'connected' && engine.streams() === 1, 10_000, 'connected');
  });
  afterEach(async () => {
    watcher.stop();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the containers with their init pids and exit codes, and says which engine it reached', () => {
    expect(watcher.getStatus()).toMatchObject({ kind: 'docker', state: 'connected', version: '99.0-standin', error: null });
    expect(watcher.getContainers()).toEqual([
      expect.objectContaining({ name: 'old', state: 'exited', exitCode: 137, pid: null, engine: 'docker', namespace: 'moby', source: 'api' }),
      expect.objectContaining({ name: 'web', state: 'running', exitCode: null, pid: 1000 }),
    ]);
    expect(changes).toBeGreaterThan(0);
  });

  it('lists again for an event that arrives while a list is under way, not only at the next resync', async () => {
    let release = (): void => undefined;
    engine.state.listHold = new Promise((resolve) => (release = resolve));
    const lists = engine.state.lists;
    // docker rm -f: "die" starts a list; "destroy" arrives while the engine is still answering it.
    engine.emit({ Type: 'container', Action: 'die', id: 'aaaa'.padEnd(64, '0') });
    await until(() => engine.state.lists > lists, 5000, 'the list for the first event');
    engine.state.containers = engine.state.containers.filter((c) => !c.Names.includes('/web'));
    engine.emit({ Type: 'container', Action: 'destroy', id: 'aaaa'.padEnd(64, '0') });
    // The stale list is answered within the event's 30 ms debounce: its refresh is still to come.
    await new Promise((resolve) => setTimeout(resolve, 5));
    engine.state.listHold = null;
    release();
    // Well before the 10 s resync.
    await until(() => !watcher.getContainers().some((c) => c.name === 'web'), 3000, 'the removed container gone');
  });

  it('lists again when the engine reports an event', async () => {
    engine.state.containers.push(summary('cccc', 'new'));
    const before = changes;
    engine.emit({ Type: 'container', Action: 'start', id: 'cccc'.padEnd(64, '0') });
    await until(() => watcher.getContainers().some((c) => c.name === 'new'), 5000, 'the new container');
    expect(changes).toBeGreaterThan(before);
  });

  it('when the event stream ends: says disconnected, empties its list, reconnects after a backoff and lists again', async () => {
    const before = engine.state.versionAt.length;
    const endedAt = Date.now();
    engine.endEvents();
    await until(() => watcher.getStatus().state === 'disconnected', 5000, 'disconnected');
    expect(watcher.getStatus().error).toMatch(/event stream ended/);
    expect(watcher.getContainers()).toEqual([]);
    await until(() => watcher.getStatus().state === 'connected', 10_000, 'reconnected');
    const reconnectAt = engine.state.versionAt[before] ?? 0;
    expect(reconnectAt - endedAt, 'the first reconnect waits the first backoff step').toBeGreaterThanOrEqual(200);
    expect(watcher.getContainers().map((c) => c.name)).toEqual(['old', 'web']);
  });

  it('backs off longer each time the engine stays away, and starts over once it is back', async () => {
    engine.state.down = true;
    const from = engine.state.versionAt.length;
    engine.endEvents();
    await until(() => engine.state.versionAt.length >= from + 4, 15_000, 'four attempts');
    const gaps = engine.state.versionAt
      .slice(from)
      .map((t, i, all) => (i === 0 ? 0 : t - (all[i - 1] ?? t)))
      .slice(1);
    // 250, 500, 1000 ms between attempts (timers never fire early; a busy machine only adds).
    expect(gaps[0]).toBeGreaterThanOrEqual(450);
    expect(gaps[1]).toBeGreaterThanOrEqual(950);
    expect(watcher.getContainers()).toEqual([]);

    engine.state.down = false;
    await until(() => watcher.getStatus().state === 'connected' && engine.streams() === 1, 15_000, 'back');
    const again = engine.state.versionAt.length;
    const endedAt = Date.now();
    engine.endEvents();
    await until(() => engine.state.versionAt.length > again && watcher.getStatus().state === 'connected', 10_000, 'reconnected');
    expect((engine.state.versionAt[again] ?? 0) - endedAt, 'the backoff starts over').toBeLessThan(2000);
  }, 40_000);
});
