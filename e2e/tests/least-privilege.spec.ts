import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { processDetailSchema } from '@proclens/shared';
import type { ProcessDetail, Snapshot } from '@proclens/shared';
import { apiFetch, fetchSnapshot, pageUrl, serverUrl } from '../api.ts';
import { DOCKER_HOST, LAB_DIR, docker, repoRoot, startServer } from '../lab.ts';
import type { ServerProcess } from '../lab.ts';

/**
 * The Docker side of least privilege: the real server as root and as a throw-away user, with and
 * without the docker group and CAP_SYS_PTRACE + CAP_DAC_READ_SEARCH (ambient, through setpriv).
 * A second containerd runs meanwhile, so that which containerd serves a shim must be read from
 * containerd's fds rather than guessed from there being only one. The /proc side, process by
 * process, is server/src/least-privilege.test.ts.
 */

/** Unique per run; useradd allows 32 characters. */
const USER = `proclens-e2e${process.pid}`;
const CAPS = '-all,+sys_ptrace,+dac_read_search';
const WITH_CAPS = [`--inh-caps=${CAPS}`, `--ambient-caps=${CAPS}`, `--bounding-set=${CAPS}`];
const NO_CAPS = ['--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all'];
const ALL_DENIED: ProcessDetail['notPermitted'] = ['cwd', 'environ', 'exe', 'fd', 'ns'];
const REFLECT_MS = 15_000;

let containerd2: ChildProcess | undefined;
let containerd2Dir = '';
const servers: ServerProcess[] = [];

/** A second, bare containerd (no dockerd, no containers) with its own socket and state. */
async function startSecondContainerd(): Promise<void> {
  containerd2Dir = mkdtempSync(path.join(os.tmpdir(), 'pl-c2-'));
  const config = path.join(containerd2Dir, 'config.toml');
  writeFileSync(
    config,
    [
      'version = 2',
      `root = "${containerd2Dir}/root"`,
      `state = "${containerd2Dir}/state"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      `[grpc]\n  address = "${containerd2Dir}/containerd.sock"`,
      `[ttrpc]\n  address = "${containerd2Dir}/containerd.sock.ttrpc"`,
    ].join('\n'),
  );
  containerd2 = spawn('containerd', ['--config', config], { stdio: 'ignore' });
  await expect.poll(() => existsSync(`${containerd2Dir}/containerd.sock`), { timeout: 30_000 }).toBe(true);
}

async function stopSecondContainerd(): Promise<void> {
  const child = containerd2;
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  }
  if (containerd2Dir) rmSync(containerd2Dir, { recursive: true, force: true });
}

function userId(): number {
  return Number(execFileSync('id', ['-u', USER]).toString().trim());
}

/** The real command under setpriv as the throw-away user: with or without the docker group and the two capabilities. */
async function startAsUser(dockerGroup: boolean, caps: boolean): Promise<ServerProcess> {
  const groups = dockerGroup ? ['--init-groups'] : ['--clear-groups'];
  const wrapper = ['setpriv', `--reuid=${USER}`, `--regid=${USER}`, ...groups, ...(caps ? WITH_CAPS : NO_CAPS), '--'];
  const server = await startServer({ DOCKER_HOST }, [], wrapper);
  servers.push(server);
  expect(readFileSync(`/proc/${server.child.pid}/status`, 'utf8')).toMatch(new RegExp(`^Uid:\\t${userId()}\\t`, 'm'));
  return server;
}

async function detail(base: string, pid: number): Promise<ProcessDetail> {
  const res = await apiFetch(`/api/processes/${pid}`, base);
  expect(res.status).toBe(200);
  return processDetailSchema.parse(await res.json());
}

/** Host pids of the lab's runtime chain for db, from the engine and the host's /proc. */
async function labChain(): Promise<{ dockerd: number; containerd: number; shim: number; redis: number }> {
  const dockerd = Number(readFileSync(`${LAB_DIR}/docker.pid`, 'utf8').trim());
  const redis = Number((await docker('inspect', '-f', '{{.State.Pid}}', 'db')).trim());
  const ppid = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  const containerd = Number(
    execFileSync('pgrep', ['-P', String(dockerd), '-x', 'containerd'])
      .toString()
      .trim(),
  );
  return { dockerd, containerd, shim: ppid(redis), redis };
}

/** Polls the snapshot until it shows the state `ready` waits for; returns it. */
async function snapshotWhen(base: string, ready: (s: Snapshot) => boolean): Promise<Snapshot> {
  let last: Snapshot | undefined;
  await expect.poll(async () => ready((last = await fetchSnapshot(base))), { timeout: REFLECT_MS }).toBe(true);
  if (!last) throw new Error('no snapshot');
  return last;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  // The documented setup: the engine's socket belongs to group docker, and the user is in it.
  const dockerGid = Number(execFileSync('getent', ['group', 'docker']).toString().split(':')[2]);
  expect(statSync(`${LAB_DIR}/docker.sock`).gid).toBe(dockerGid);
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', '--groups', 'docker', USER]);
  await startSecondContainerd();
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await stopSecondContainerd();
  rmSync(path.join(os.tmpdir(), `tsx-${userId()}`), { recursive: true, force: true });
  execFileSync('userdel', [USER]);
});

test('as root: everything, and the shim → containerd link read from containerd’s fds', async () => {
  const chain = await labChain();
  const snapshot = await snapshotWhen(serverUrl(), (s) => s.processes.filter((p) => p.role === 'containerd').length >= 2);
  expect(snapshot.processes.find((p) => p.pid === chain.shim)?.logicalParent).toBe(chain.containerd);
  expect((await detail(serverUrl(), chain.dockerd)).notPermitted).toEqual([]);
});

test('as a user in the docker group with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH: the same as root', async () => {
  const chain = await labChain();
  const server = await startAsUser(true, true);
  const snapshot = await snapshotWhen(server.url, (s) => s.host.engines[0]?.state === 'connected' && s.containers.some((c) => c.name === 'db'));
  expect(snapshot.processes.filter((p) => p.role === 'containerd').length).toBeGreaterThanOrEqual(2);
  expect(snapshot.processes.find((p) => p.pid === chain.shim)?.logicalParent).toBe(chain.containerd);
  for (const pid of [chain.dockerd, chain.containerd, chain.shim, chain.redis]) expect((await detail(server.url, pid)).notPermitted, `pid ${pid}`).toEqual([]);
  const redis = await detail(server.url, chain.redis);
  expect(redis.environ.state).toBe('zeroed');
  expect(redis.containerEnv?.find((v) => v.name === 'REDIS_VERSION')).toMatchObject({ value: expect.stringMatching(/^\d/), masked: false });
});

test('in the docker group without capabilities: containers and configured environments, but no /proc secrets and no shim link', async ({ page }) => {
  const chain = await labChain();
  const server = await startAsUser(true, false);
  const snapshot = await snapshotWhen(server.url, (s) => s.host.engines[0]?.state === 'connected' && s.containers.some((c) => c.name === 'db'));
  // Two containerds and neither one's fds readable: the link is left out, not guessed.
  expect(snapshot.processes.find((p) => p.pid === chain.shim)?.logicalParent).toBeNull();
  expect(snapshot.processes.find((p) => p.pid === chain.redis)?.containerId).toBe((await docker('inspect', '-f', '{{.Id}}', 'db')).trim());
  const dockerd = await detail(server.url, chain.dockerd);
  expect(dockerd.notPermitted).toEqual(ALL_DENIED);
  expect(dockerd.environ).toEqual({ state: 'denied', vars: [] });
  // The Docker API gives the configuration to anyone in the group (masked as always).
  const redis = await detail(server.url, chain.redis);
  expect(redis.notPermitted).toEqual(ALL_DENIED);
  expect(redis.containerEnv?.find((v) => v.name === 'REDIS_VERSION')).toMatchObject({ value: expect.stringMatching(/^\d/), masked: false });

  // What a person sees: each refused read says so, nothing is left blank.
  await page.goto(pageUrl(`pid=${chain.dockerd}`, server.url));
  const pane = page.getByTestId('detail-pane');
  await expect(pane.getByTestId('detail-exe')).toContainText('exe → not permitted');
  await expect(pane.getByTestId('detail-exe')).toContainText('cwd → not permitted');
  for (const what of ['Open files: not permitted', 'Namespace links: not permitted', 'Environment: not permitted']) await expect(pane).toContainText(what);
  await expect(pane.getByTestId('not-permitted')).toContainText(
    'Not permitted to read its environment, exe link, cwd link, open files, namespace links: the server needs CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH',
  );
  const note = await pane.getByTestId('not-permitted').boundingBox();
  expect(note && note.y >= 0 && note.y + note.height <= 720 && note.x + note.width <= 1280).toBe(true);
  await page.screenshot({ path: path.join(repoRoot, 'e2e/artifacts/not-permitted-detail.png') });
});

test('with the capabilities but not in the docker group: the engine says why it is unreachable, /proc is whole', async () => {
  const chain = await labChain();
  const server = await startAsUser(false, true);
  const snapshot = await snapshotWhen(server.url, (s) => s.host.engines[0]?.state === 'disconnected' && s.processes.some((p) => p.pid === chain.redis));
  expect(snapshot.host.engines[0]?.error).toContain('EACCES');
  // No engine lists anything; db still shows, from /proc and its shim's arguments alone.
  expect(snapshot.containers.filter((c) => c.source === 'api')).toEqual([]);
  const id = (await docker('inspect', '-f', '{{.Id}}', 'db')).trim();
  expect(snapshot.containers.find((c) => c.id === id)).toMatchObject({ engine: 'docker', namespace: 'moby', source: 'proc', pid: chain.redis });
  // Attribution comes from /proc/PID/cgroup, which needs no privilege; the shim link from the fds.
  expect(snapshot.processes.find((p) => p.pid === chain.redis)?.containerId).toBe(id);
  expect(snapshot.processes.find((p) => p.pid === chain.shim)?.logicalParent).toBe(chain.containerd);
  const redis = await detail(server.url, chain.redis);
  expect(redis.notPermitted).toEqual([]);
  expect(redis.containerEnv).toBeNull();
});
