import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDetailSchema } from '@proclens/shared';
import type { ContainerConfig, Snapshot } from '@proclens/shared';
import { testContainer, testProcess, testSnapshot } from '@proclens/shared/testing';
import { createLiveApi } from './create-live-api.ts';
import { createLiveDetails } from './read-live-details.ts';

const SECRET = 'hunter2-configured-secret';

/** What `docker inspect` would say of the container: its configured environment holds secrets. */
const CONFIG: ContainerConfig = {
  startedAt: null,
  finishedAt: null,
  restartCount: 0,
  command: ['sleep', '60'],
  user: '',
  workingDir: '',
  init: false,
  networkMode: 'none',
  env: [
    { name: 'DB_PASSWORD', value: SECRET },
    { name: 'DATABASE_URL', value: `postgres://app:${SECRET}@db/app` },
    { name: 'GREETING', value: 'hello' },
  ],
  mounts: [],
  ports: [],
  labels: {},
};

/**
 * The live API over HTTP with a real process (a child `sleep`, read from /proc) attributed to a
 * container whose configuration is given: the engine is the one part stood in for, because a
 * process in a container needs a running engine, which the e2e suite has (containers.spec.ts).
 */
async function serve(revealSecrets: boolean, pid: number): Promise<{ base: string; server: Server }> {
  const container = testContainer('c'.repeat(64), 'web', [pid]);
  const snapshot: Snapshot = testSnapshot([testProcess(pid, 1, { containerId: container.id })], [container]);
  const feed = { current: () => snapshot, subscribe: () => () => undefined };
  const details = createLiveDetails({
    feed,
    procRoot: '/proc',
    revealSecrets,
    readProcess: () => null,
    inspectContainer: (c) => Promise.resolve(c.id === container.id ? CONFIG : null),
  });
  const api = createLiveApi({ feed, details, history: null });
  const server = createServer(express().use('/api', api));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('/api/processes/:pid of a container process', () => {
  let child: ChildProcess;
  const servers: Server[] = [];
  beforeAll(() => void (child = spawn('sleep', ['60'], { stdio: 'ignore', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } })));
  afterAll(() => {
    child.kill('SIGKILL');
    for (const s of servers) s.close();
  });

  it('shows the container’s configured environment with its secrets masked', async () => {
    const { base, server } = await serve(false, child.pid ?? 0);
    servers.push(server);
    const res = await fetch(`${base}/api/processes/${child.pid}`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(SECRET);
    const detail = processDetailSchema.parse(JSON.parse(text));
    expect(detail.container?.name).toBe('web');
    expect(detail.containerEnv).toContainEqual({ name: 'DB_PASSWORD', value: null, masked: true });
    expect(detail.containerEnv?.find((v) => v.name === 'DATABASE_URL')?.masked).toBe(true);
    expect(detail.containerEnv).toContainEqual({ name: 'GREETING', value: 'hello', masked: false });
  });

  it('shows it in clear only with --reveal-secrets', async () => {
    const { base, server } = await serve(true, child.pid ?? 0);
    servers.push(server);
    const detail = processDetailSchema.parse(await (await fetch(`${base}/api/processes/${child.pid}`)).json());
    expect(detail.containerEnv).toContainEqual({ name: 'DB_PASSWORD', value: SECRET, masked: false });
  });
});
