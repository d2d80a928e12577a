import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import type { EngineStatus } from '@proclens/shared';
import { fetchSnapshot } from '../api.ts';
import { LAB_DIR, repoRoot } from '../lab.ts';
import { freePort, runLine, shellEnv, stopAll, waitFor } from '../npm-start.ts';

/**
 * The engine found as the docker CLI finds it, against a real engine that listens on a loopback
 * TCP port with TLS (`dockerd --tlsverify`, certificates made for this run): for each way of
 * pointing at it (DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, the current context,
 * DOCKER_CONTEXT, DOCKER_TLS without verification), proclens reaches the engine exactly when the
 * docker CLI does, with the same environment.
 */

const run = promisify(execFile);
const DIR = `${LAB_DIR}-tls`;
const MARKER = 'tls-only-marker';

let port = 0;
let work = '';
const certs = () => path.join(work, 'certs');

/** The docker CLI with exactly this environment (plus PATH): the reference. */
async function dockerCli(env: Record<string, string>, ...args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await run('docker', args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, ...env }, timeout: 30_000 });
    return { ok: true, out: stdout };
  } catch (err) {
    return { ok: false, out: String((err as { stderr?: string }).stderr ?? err) };
  }
}

/** The proclens command with exactly this environment; its engine status once it has an opinion. */
async function proclensEngine(env: Record<string, string>): Promise<{ status: EngineStatus; names: string[] }> {
  const server = runLine(`node ${path.join(repoRoot, 'bin/proclens.js')} --port ${await freePort()}`, { HOME: work, ...env });
  const [url = ''] = await server.urls();
  return waitFor(
    'the engine connected or refused',
    async () => {
      const snapshot = await fetchSnapshot(url);
      const status = snapshot.host.engines.find((e) => e.kind === 'docker');
      // Connecting, or disconnected on its first try only for a moment: wait for containers or an error.
      if (!status || status.state === 'connecting') return undefined;
      if (status.state === 'connected' && !snapshot.containers.some((c) => c.name === MARKER)) return undefined;
      // What the engine's API listed: with the engine unreachable, its running containers are still
      // listed from /proc and the shims (source 'proc'), which says nothing of reaching it.
      return { status, names: snapshot.containers.filter((c) => c.source === 'api').map((c) => c.name) };
    },
    30_000,
  );
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(DIR.length).toBeLessThanOrEqual(70);
  work = mkdtempSync(path.join(tmpdir(), 'proclens-tls-'));
  await run('bash', [path.join(repoRoot, 'scripts/make-test-certs.sh'), certs()]);
  port = await freePort();
  const tls = `-H tcp://127.0.0.1:${port} --tlsverify --tlscacert=${certs()}/ca.pem --tlscert=${certs()}/server-cert.pem --tlskey=${certs()}/server-key.pem`;
  await run('bash', [path.join(repoRoot, 'scripts/lab-up.sh'), DIR], { env: shellEnv({ LAB_NO_DB: '1', LAB_DOCKERD_ARGS: tls }), timeout: 170_000 });
  await run('docker', ['-H', `unix://${DIR}/docker.sock`, 'run', '-d', `--name=${MARKER}`, '--network=none', 'lab/busybox', 'sleep', '600']);
});

test.afterAll(async () => {
  // Deleting a lab's vfs storage on a busy machine has taken minutes.
  test.setTimeout(660_000);
  await stopAll();
  await run('bash', [path.join(repoRoot, 'scripts/lab-down.sh'), DIR], { timeout: 600_000 }).catch(() => undefined);
  if (work) rmSync(work, { recursive: true, force: true });
});

test.afterEach(async () => {
  await stopAll();
});

/** Asserts that proclens and the docker CLI, given `env`, agree on reaching the TLS engine. */
async function agree(env: Record<string, string>, expected: 'reaches' | 'fails'): Promise<EngineStatus> {
  const cli = await dockerCli(env, 'ps', '--format', '{{.Names}}');
  const ours = await proclensEngine(env);
  expect(cli.ok, `docker ps: ${cli.out}`).toBe(expected === 'reaches');
  if (expected === 'reaches') {
    expect(cli.out.split('\n')).toContain(MARKER);
    expect(ours.status.state).toBe('connected');
    expect(ours.names).toContain(MARKER);
  } else {
    expect(ours.status.state).toBe('disconnected');
    expect(ours.names).toEqual([]);
  }
  return ours.status;
}

test('DOCKER_HOST=tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH reaches a TLS engine, as the docker CLI does', async () => {
  const status = await agree({ DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs() }, 'reaches');
  expect(status.endpoint).toBe(`tcp://127.0.0.1:${port}`);
});

test('the certificates default to ~/.docker when DOCKER_CERT_PATH is not set', async () => {
  const home = path.join(work, 'home');
  mkdirSync(path.join(home, '.docker'), { recursive: true });
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) copyFileSync(path.join(certs(), f), path.join(home, '.docker', f));
  await agree({ HOME: home, DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1' }, 'reaches');
});

test('without DOCKER_TLS_VERIFY, plain HTTP to the TLS port fails for both', async () => {
  const status = await agree({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }, 'fails');
  expect(status.error).toBeTruthy();
});

test('a CA that did not sign the engine’s certificate fails for both', async () => {
  const other = path.join(work, 'other-ca');
  await run('bash', [path.join(repoRoot, 'scripts/make-test-certs.sh'), other]);
  const mixed = path.join(work, 'mixed');
  mkdirSync(mixed, { recursive: true });
  copyFileSync(path.join(other, 'ca.pem'), path.join(mixed, 'ca.pem'));
  for (const f of ['cert.pem', 'key.pem']) copyFileSync(path.join(certs(), f), path.join(mixed, f));
  const status = await agree({ DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: mixed }, 'fails');
  expect(status.error).toMatch(/certificate/i);
  // DOCKER_TLS without verification accepts that engine, still presenting the client certificate.
  await agree({ DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS: '1', DOCKER_CERT_PATH: mixed }, 'reaches');
});

test('a context made with `docker context create`: as the current context and through DOCKER_CONTEXT', async () => {
  const config = path.join(work, 'config');
  const cli = (...args: string[]) => dockerCli({ DOCKER_CONFIG: config }, ...args);
  const made = await cli(
    'context',
    'create',
    'tls-lab',
    '--docker',
    `host=tcp://127.0.0.1:${port},ca=${certs()}/ca.pem,cert=${certs()}/cert.pem,key=${certs()}/key.pem`,
  );
  expect(made.ok, made.out).toBe(true);
  expect((await cli('context', 'use', 'tls-lab')).ok).toBe(true);
  const current = await agree({ DOCKER_CONFIG: config }, 'reaches');
  expect(current.endpoint).toBe(`tcp://127.0.0.1:${port}`);
  expect((await cli('context', 'use', 'default')).ok).toBe(true);
  await agree({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'tls-lab' }, 'reaches');
  // DOCKER_HOST beats the context, for both.
  await agree({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'tls-lab', DOCKER_HOST: `unix://${DIR}/nonexistent.sock` }, 'fails');
});

test('an ssh:// context is refused at start with the reason', async () => {
  const config = path.join(work, 'config-ssh');
  const made = await dockerCli({ DOCKER_CONFIG: config }, 'context', 'create', 'remote', '--docker', 'host=ssh://ada@127.0.0.1');
  expect(made.ok, made.out).toBe(true);
  const server = runLine(`node ${path.join(repoRoot, 'bin/proclens.js')} --port 0`, { HOME: work, DOCKER_CONFIG: config, DOCKER_CONTEXT: 'remote' });
  expect((await server.exit).code).toBe(1);
  expect(server.stderr()).toContain(
    'cannot use Docker host "ssh://ada@127.0.0.1" (context "remote" (DOCKER_CONTEXT)): proclens reads /proc, so it must run on the engine’s own host',
  );
});
