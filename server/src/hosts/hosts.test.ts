import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, consumerOpts, nkeys } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, applyDiff, hostSummariesSchema, processDetailSchema } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';
import { openSocket, rawRequest, until } from '../test-http.ts';
import { decodePayload } from './encode-payload.ts';
import { makeTestCertificates, startTestNats } from './test-nats.ts';
import type { TestNats } from './test-nats.ts';
import { TEST_TOKEN, startTestAgent, startTestHub } from './test-hosts.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const closers: (() => unknown)[] = [];
const later = <T extends { close(): Promise<unknown> }>(thing: T): T => {
  closers.push(() => thing.close());
  return thing;
};
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A process with a secret in its environment, to be masked before it leaves the agent. */
function sleeper(secret: string): ChildProcess {
  const child = spawn('sleep', ['600'], { env: { PATH: process.env.PATH, API_TOKEN: secret, PLAIN_VALUE: 'visible' }, stdio: 'ignore' });
  closers.push(() => child.kill('SIGKILL'));
  return child;
}

/** Every message both streams hold, unpacked. */
async function readStreams(url: string): Promise<string[]> {
  const nc = await connect({ servers: url.replace(/^nats:\/\/[^@]*@/, ''), user: 'proclens', pass: 'pw' });
  const texts: string[] = [];
  for (const subject of ['proclens.state.>', 'proclens.diff.>']) {
    const sub = await nc.jetstream().subscribe(subject, consumerOpts().orderedConsumer().deliverAll());
    await new Promise<void>((resolve) => {
      void (async () => {
        for await (const m of sub) {
          texts.push(decodePayload(m.data));
          if (m.info.pending === 0) break;
        }
        resolve();
      })();
    });
  }
  await nc.close();
  return texts;
}

describe('an agent and a hub over a real nats-server', { timeout: 90_000 }, () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await startTestNats({ user: 'proclens', pass: 'pw' });
  });
  afterAll(async () => nats.close());

  it('the hub lists the agent live, streams its tree, and serves details masked by the agent', async () => {
    const secret = `hunter2-${Date.now()}`;
    const child = sleeper(secret);
    const agent = later(await startTestAgent(nats.url('proclens', 'pw'), 'alpha'));
    const hub = later(await startTestHub(nats.url('proclens', 'pw')));

    await until(() => hub.watcher.entry('alpha')?.snapshot?.processes.some((p) => p.pid === child.pid) === true, 30_000, 'the sleeper at the hub');
    const hosts = await hub.get('/api/hosts');
    expect(hosts.status).toBe(200);
    const [row] = hostSummariesSchema.parse(hosts.body);
    expect(row).toMatchObject({ name: 'alpha', state: 'live', hostname: os.hostname(), problem: null });
    expect(row?.processes).toBeGreaterThan(3);

    // The browser's stream for this host: the same protocol as the single-host server.
    const socket = await openSocket(hub.base, { path: '/ws?host=alpha', headers: hub.auth });
    if (!('socket' in socket)) throw new Error(`refused ${socket.refused}`);
    closers.push(() => socket.socket.close());
    await until(() => socket.messages.length > 0);
    expect(socket.messages[0]).toMatchObject({ type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0 });
    const born = spawn('sleep', ['601'], { stdio: 'ignore' });
    closers.push(() => born.kill('SIGKILL'));
    let view = (socket.messages[0] as { snapshot: Snapshot }).snapshot;
    await until(
      () => {
        for (const m of socket.messages.splice(1)) if (m.type === 'diff') view = applyDiff(view, m.diff);
        return view.processes.some((p) => p.pid === born.pid);
      },
      30_000,
      'a birth on the host in the hub’s stream',
    );

    const detail = await hub.get(`/api/hosts/alpha/processes/${child.pid}`);
    expect(detail.status).toBe(200);
    const parsed = processDetailSchema.parse(detail.body);
    expect(parsed.environ.vars).toContainEqual({ name: 'API_TOKEN', value: null, masked: true });
    expect(parsed.environ.vars).toContainEqual({ name: 'PLAIN_VALUE', value: 'visible', masked: false });
    expect(detail.text).not.toContain(secret);
    expect((await hub.get('/api/hosts/alpha/processes/4194304')).status).toBe(404);
    expect((await hub.get('/api/hosts/alpha/containers/nosuch')).status).toBe(404);

    // Nothing the agent stored in NATS holds an environment, let alone the secret.
    const stored = await readStreams(nats.url('proclens', 'pw'));
    expect(stored.length).toBeGreaterThan(1);
    for (const text of stored) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('PLAIN_VALUE');
    }
    expect(agent.publisher.sent.snapshots).toBeGreaterThanOrEqual(1);
  });

  it('a hub started after the agents gets every host’s state from the streams at once', async () => {
    const agents = [later(await startTestAgent(nats.url('proclens', 'pw'), 'beta')), later(await startTestAgent(nats.url('proclens', 'pw'), 'gamma'))];
    const first = await startTestHub(nats.url('proclens', 'pw'));
    await until(() => ['beta', 'gamma'].every((h) => first.watcher.entry(h)?.snapshot), 30_000, 'both hosts at the first hub');
    await first.close();

    // The 5 s bound is checked end to end in e2e/tests/hosts.spec.ts; here, that it needs no agent to resend.
    const resyncs = agents.map((a) => a.publisher.sent.resyncs);
    const second = later(await startTestHub(nats.url('proclens', 'pw')));
    await until(() => ['beta', 'gamma'].every((h) => second.watcher.entry(h)?.snapshot), 30_000, 'both hosts at the restarted hub');
    const rows = hostSummariesSchema.parse((await second.get('/api/hosts')).body);
    expect(rows.filter((r) => ['beta', 'gamma'].includes(r.name)).map((r) => r.state)).toEqual(['live', 'live']);
    expect(agents.map((a) => a.publisher.sent.resyncs)).toEqual(resyncs);
  });

  it('an agent with --port also serves its own dashboard, behind its own token', async () => {
    const agent = later(await startTestAgent(nats.url('proclens', 'pw'), 'zeta', ['--port', '0']));
    if (!agent.server) throw new Error('no server with --port');
    const base = `http://127.0.0.1:${agent.server.port}`;
    expect((await fetch(`${base}/api/snapshot`)).status).toBe(401);
    const response = await fetch(`${base}/api/snapshot`, { headers: { Authorization: `Bearer ${agent.server.token}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Snapshot).processes.length).toBeGreaterThan(3);
    const without = later(await startTestAgent(nats.url('proclens', 'pw'), 'eta'));
    expect(without.server).toBeNull();
  });

  it('refuses what a client should not get: unknown hosts, bad names and pids, no token', async () => {
    later(await startTestAgent(nats.url('proclens', 'pw'), 'delta'));
    const hub = later(await startTestHub(nats.url('proclens', 'pw')));
    await until(() => hub.watcher.entry('delta')?.snapshot !== undefined && hub.watcher.entry('delta')?.snapshot !== null, 30_000, 'delta');
    for (const [pathname, status] of [
      ['/api/hosts/nosuch/snapshot', 404],
      ['/api/hosts/a.b/snapshot', 400],
      ['/api/hosts/%2e%2e/snapshot', 400],
      ['/api/hosts/delta/processes/0', 400],
      ['/api/hosts/delta/processes/1e3', 400],
      ['/api/hosts/delta/processes/99999999', 400],
      ['/api/hosts/delta/containers/..%2f', 404],
      [`/api/hosts/search?q=${'x'.repeat(200)}`, 400],
      ['/api/hosts/delta/snapshot/extra', 404],
    ] as const) {
      const response = await rawRequest(hub.base, pathname, hub.auth);
      expect(response.status, pathname).toBe(status);
      expect(() => JSON.parse(response.body) as unknown, pathname).not.toThrow();
    }
    expect((await rawRequest(hub.base, '/api/hosts')).status).toBe(401);
    expect((await rawRequest(hub.base, `/api/hosts?token=${TEST_TOKEN}`)).status).toBe(401);
    expect(await openSocket(hub.base, { path: '/ws?host=delta' })).toEqual({ refused: 401 });
    expect(await openSocket(hub.base, { path: '/ws?host=nosuch', headers: hub.auth })).toEqual({ refused: 404 });
    expect(await openSocket(hub.base, { path: '/ws', headers: hub.auth })).toEqual({ refused: 404 });
    expect(await openSocket(hub.base, { path: '/ws?host=delta', origin: 'http://evil.example', headers: hub.auth })).toEqual({ refused: 403 });
    expect((await hub.get('/api/hosts/search?q=delta')).status).toBe(200);
  });

  it('a hostile publisher on NATS cannot crash the hub: garbage, a foreign protocol, a gzip bomb, a forged host', async () => {
    const hub = later(await startTestHub(nats.url('proclens', 'pw')));
    const nc = await connect({ servers: `127.0.0.1:${nats.port}`, user: 'proclens', pass: 'pw' });
    closers.push(() => nc.close());
    const js = nc.jetstream();
    const { gzipSync } = await import('node:zlib');
    await js.publish('proclens.state.evil1.beat', new TextEncoder().encode('not json'));
    await js.publish('proclens.state.evil2.beat', new TextEncoder().encode(JSON.stringify({ type: 'beat', protocol: 1 })));
    await js.publish('proclens.diff.evil3', gzipSync(Buffer.alloc(80 << 20)));
    await js.publish('proclens.state.evil4.beat', new TextEncoder().encode(JSON.stringify({ type: 'beat', protocol: PROTOCOL_VERSION, host: 'alpha' })));
    await js.publish('proclens.state.evil5.beat', new TextEncoder().encode('{"__proto__":{"polluted":1}}'));
    await until(() => ['evil1', 'evil2', 'evil3', 'evil4', 'evil5'].every((h) => hub.watcher.entry(h)?.problem), 10_000, 'every hostile message noted');
    expect(hub.watcher.entry('evil2')?.problem).toMatch(new RegExp(`protocol 1; this hub speaks ${PROTOCOL_VERSION}`));
    expect(hub.watcher.entry('evil3')?.problem).toMatch(/could not be unpacked/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const rows = hostSummariesSchema.parse((await hub.get('/api/hosts')).body);
    expect(rows.find((r) => r.name === 'evil2')).toMatchObject({ problem: expect.stringMatching(/protocol/) as unknown, processes: 0 });
    expect((await hub.get('/api/hosts/evil1/snapshot')).status).toBe(503);
    // Cleaned, so later hubs in this file see only real hosts.
    const jsm = await nc.jetstreamManager();
    for (const h of ['evil1', 'evil2', 'evil4', 'evil5']) await jsm.streams.purge('PROCLENS_HOSTS', { filter: `proclens.state.${h}.beat` });
    await jsm.streams.purge('PROCLENS_DIFFS', { filter: 'proclens.diff.evil3' });
  });

  it('agent and hub ride out NATS going away and coming back: clear state meanwhile, a fresh snapshot after', async () => {
    const agent = later(await startTestAgent(nats.url('proclens', 'pw'), 'epsilon'));
    const hub = later(await startTestHub(nats.url('proclens', 'pw')));
    await until(() => hub.watcher.entry('epsilon')?.snapshot !== null && hub.watcher.entry('epsilon') !== undefined, 30_000, 'epsilon');
    const snapshotsBefore = agent.publisher.sent.snapshots;

    await nats.stop();
    await eventually(async () => (await hub.get('/api/hub')).text.includes('"reconnecting"'), 30_000, 'the hub saying NATS is away');
    expect((await hub.get('/api/hosts')).status).toBe(200);
    // While away the agent keeps scanning and queues nothing.
    await new Promise((r) => setTimeout(r, 1500));
    await nats.start();

    const child = spawn('sleep', ['602'], { stdio: 'ignore' });
    closers.push(() => child.kill('SIGKILL'));
    await until(() => hub.watcher.entry('epsilon')?.snapshot?.processes.some((p) => p.pid === child.pid) === true, 30_000, 'a birth after NATS came back');
    expect(agent.publisher.sent.snapshots).toBeGreaterThan(snapshotsBefore);
    expect((await hub.get('/api/hub')).body).toMatchObject({ nats: { state: 'connected' } });
  });
});

/** Polls an async check until it holds (generous: the machine is shared). */
async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('credentials and failures on start', { timeout: 90_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-hosts-cred-'));
    dirs.push(dir);
    return dir;
  };

  it('a wrong password, nothing listening, or a NATS without JetStream fail with one sentence naming the cause', async () => {
    const nats = later(await startTestNats({ user: 'proclens', pass: 'right' }));
    await expect(startTestAgent(nats.url('proclens', 'wrong'), 'x')).rejects.toThrow(/^NATS at nats:\/\/127\.0\.0\.1:\d+ refused the credentials/);
    await expect(startTestHub(nats.url('proclens', 'wrong'))).rejects.toThrow(/refused the credentials/);
    const closed = nats.port;
    const plain = later(await startTestNats({ jetstream: false }));
    await expect(startTestAgent(plain.url(), 'x')).rejects.toThrow(/has no JetStream .*start nats-server with -js/);
    await nats.stop();
    await expect(startTestAgent(`nats://127.0.0.1:${closed}`, 'x')).rejects.toThrow(/cannot reach NATS at nats:\/\/127\.0\.0\.1:\d+: connection refused/);
    await expect(startTestAgent(`nats://127.0.0.1:${closed}`, 'x', ['--nats-creds', '/nonexistent/user.creds'])).rejects.toThrow(/cannot read --nats-creds/);
  });

  it('the real command exits 1 with one line on stderr, and never prints the password', async () => {
    const nats = later(await startTestNats({ user: 'proclens', pass: 'right' }));
    for (const command of ['agent', 'hub']) {
      const result = spawnSync(process.execPath, [path.join(REPO, 'bin/proclens.js'), command, '--nats', nats.url('proclens', 'hunter2-wrong')], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^proclens: NATS at nats:\/\/127\.0\.0\.1:\d+ refused the credentials/)]);
      expect(result.stderr + result.stdout).not.toContain('hunter2');
    }
  });

  it('TLS with a self-signed CA: trusted with --nats-ca, refused with a hint without it or with another CA', async () => {
    const dir = tempDir();
    const certs = makeTestCertificates(dir);
    const nats = later(
      await startTestNats({ user: 'proclens', pass: 'pw', tls: true, config: `tls { cert_file: "${certs.cert}", key_file: "${certs.key}" }` }),
    );
    await expect(startTestAgent(nats.url('proclens', 'pw'), 'tls-x')).rejects.toThrow(/TLS with NATS at tls:\/\/127\.0\.0\.1:\d+ failed .*--nats-ca/);
    await expect(startTestAgent(nats.url('proclens', 'pw'), 'tls-x', ['--nats-ca', certs.otherCa])).rejects.toThrow(/TLS with NATS .*failed/);
    later(await startTestAgent(nats.url('proclens', 'pw'), 'tls-a', ['--nats-ca', certs.ca]));
    const hub = later(await startTestHub(nats.url('proclens', 'pw'), ['--nats-ca', certs.ca]));
    await until(() => Boolean(hub.watcher.entry('tls-a')?.snapshot), 30_000, 'the host over TLS');
  });

  it('an nkey seed in --nats-creds authenticates; a file that is neither a .creds nor a seed is named', async () => {
    const dir = tempDir();
    // The client re-exports nkeys.js untyped.
    const user = (nkeys as { createUser(): { getSeed(): Uint8Array; getPublicKey(): string } }).createUser();
    const seedFile = path.join(dir, 'agent.nk');
    writeFileSync(seedFile, new TextDecoder().decode(user.getSeed()));
    const nats = later(await startTestNats({ config: `authorization { users = [ { nkey: "${user.getPublicKey()}" } ] }` }));
    later(await startTestAgent(nats.url(), 'nkey-a', ['--nats-creds', seedFile]));
    const hub = later(await startTestHub(nats.url(), ['--nats-creds', seedFile]));
    await until(() => Boolean(hub.watcher.entry('nkey-a')?.snapshot), 30_000, 'the host with an nkey');
    await expect(startTestAgent(nats.url(), 'nkey-b')).rejects.toThrow(/refused the credentials/);
    const junk = path.join(dir, 'junk');
    writeFileSync(junk, 'hello');
    await expect(startTestAgent(nats.url(), 'nkey-b', ['--nats-creds', junk])).rejects.toThrow(/neither a NATS user JWT with its seed/);
  });
});

describe('the NATS permissions docs/many-hosts.md suggests', { timeout: 90_000 }, () => {
  it('let agents publish and answer and the hub read, and keep agents from reading other hosts', async () => {
    const doc = readFileSync(path.join(REPO, 'docs/many-hosts.md'), 'utf8');
    const block = /```\n(authorization \{[\s\S]*?)```/.exec(doc)?.[1];
    if (!block) throw new Error('no authorization block in docs/many-hosts.md');
    const config = block.replace('$AGENT_PASSWORD', '"agent-pw"').replace('$HUB_PASSWORD', '"hub-pw"');
    const nats = later(await startTestNats({ config }));
    later(await startTestAgent(nats.url('agent', 'agent-pw'), 'perm-a'));
    const hub = later(await startTestHub(nats.url('hub', 'hub-pw')));
    await until(() => Boolean(hub.watcher.entry('perm-a')?.snapshot), 30_000, 'the host at the hub');
    expect((await hub.get('/api/hosts/perm-a/processes/1')).status).toBe(200);
    // With an agent's credentials, the other hosts' state cannot be read.
    const nc = await connect({ servers: `127.0.0.1:${nats.port}`, user: 'agent', pass: 'agent-pw' });
    closers.push(() => nc.close());
    await expect(nc.jetstream().subscribe('proclens.state.>', consumerOpts().orderedConsumer().deliverAll())).rejects.toThrow();
  });
});
