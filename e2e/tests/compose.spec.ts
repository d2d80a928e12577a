import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { processDetailSchema } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';
import { apiFetch, fetchSnapshot, findChain } from '../api.ts';
import { DOCKER_HOST, LAB_DIR, docker, repoRoot } from '../lab.ts';
import { parseReadmeCommands, readReadme } from '../readme.ts';

/**
 * The production image, run by docker-compose.yml on the lab engine: the containerised dashboard
 * must see the host as the host sees itself (host pids, host cgroups, the engine's containers).
 */

const run = promisify(execFile);
const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const LOG = path.join(ARTIFACTS, 'compose.log');

/** No registry: the base image is made from the host's node (scripts/build-node-base.sh). */
const NODE_IMAGE = 'local/node:20';
/** Unique per run; docker-compose v1 keeps only [a-z0-9_-] of a project name. */
const PROJECT = `proclense2e${process.pid}`;
/** The image build runs npm ci twice and Vite once: minutes on a cold machine. */
const BUILD_TIMEOUT_MS = 15 * 60_000;

let port = 0;
let composeUp = false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
}

function composeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST,
    DOCKER_SOCK: `${LAB_DIR}/docker.sock`,
    NODE_IMAGE,
    PROCLENS_PORT: String(port),
  };
  for (const name of ['COMPOSE_FILE', 'COMPOSE_PROJECT_NAME', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) delete env[name];
  return env;
}

/** Runs a command with the lab's DOCKER_HOST, logging its output to e2e/artifacts/compose.log. */
async function sh(file: string, args: string[], timeout: number): Promise<string> {
  const started = Date.now();
  appendFileSync(LOG, `\n$ ${file} ${args.join(' ')}\n`);
  try {
    const { stdout, stderr } = await run(file, args, { cwd: repoRoot, env: composeEnv(), timeout, maxBuffer: 1 << 26 });
    appendFileSync(LOG, `${stdout}${stderr}[ok in ${((Date.now() - started) / 1000).toFixed(1)} s]\n`);
    return stdout;
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    appendFileSync(LOG, `${stdout}${stderr}[failed after ${((Date.now() - started) / 1000).toFixed(1)} s]\n`);
    throw new Error(`${file} ${args.join(' ')} failed (full output in ${LOG}):\n${`${stdout}\n${stderr}`.trim().slice(-4000)}`, { cause: err });
  }
}

const compose = (args: string[], timeout = 120_000) => sh('docker-compose', ['-f', path.join(repoRoot, 'docker-compose.yml'), '-p', PROJECT, ...args], timeout);

/** The README's Compose commands, as written there; the test only adds its file and project name. */
const README_COMPOSE = parseReadmeCommands(readReadme())
  .filter((c) => c.where === 'block' && c.text.startsWith('docker-compose '))
  .map((c) => c.text);
const readmeCompose = (verb: string): string[] => {
  const line = README_COMPOSE.find((l) => l.startsWith(`docker-compose ${verb}`));
  if (!line) throw new Error(`README.md shows no \`docker-compose ${verb}\``);
  return line.split(' ').slice(1);
};

async function projectContainers(): Promise<string[]> {
  const out = await docker('ps', '-a', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${PROJECT}`);
  return out.split('\n').filter(Boolean);
}

async function composeDown(): Promise<void> {
  if (!composeUp) return;
  await compose(['down', '--timeout', '5', '--remove-orphans']);
  composeUp = false;
}

/** Start time in clock ticks (`stat` field 22), as the host's own /proc has it. */
function hostStartTime(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[19]);
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

// Whatever happens in the test (a failure, a timeout), take the project down.
test.afterAll(async () => {
  test.setTimeout(120_000);
  await composeDown();
  expect(await projectContainers()).toEqual([]);
});

test('docker-compose runs the dashboard in a container that sees the host’s pids, cgroups and engine', async ({ page }) => {
  test.setTimeout(BUILD_TIMEOUT_MS + 5 * 60_000);
  writeFileSync(LOG, `compose e2e, project ${PROJECT}, engine ${DOCKER_HOST}\n`);
  port = await freePort();
  const timings: Record<string, number> = {};

  let t = Date.now();
  await sh('bash', [path.join(repoRoot, 'scripts/build-node-base.sh'), NODE_IMAGE], 5 * 60_000);
  timings.baseImage = seconds(t);

  expect(README_COMPOSE).toEqual(['docker-compose up -d --build', 'docker-compose logs proclens', 'docker-compose down']);
  t = Date.now();
  composeUp = true;
  await compose(readmeCompose('up'), BUILD_TIMEOUT_MS);
  timings.buildAndUp = seconds(t);
  const imageBytes = Number((await docker('image', 'inspect', '-f', '{{.Size}}', 'proclens:local')).trim());
  t = Date.now();
  const [containerId = ''] = (await compose(['ps', '-q'])).split('\n').filter(Boolean);
  expect(containerId).toMatch(/^[0-9a-f]{64}$/);
  const containerPid = Number((await docker('inspect', '-f', '{{.State.Pid}}', containerId)).trim());

  // The containerised server, from the host, on loopback, at the URL it printed (as a user finds it: `docker-compose logs`).
  let url = '';
  await expect
    .poll(
      async () => {
        const logs = await compose(readmeCompose('logs'));
        url = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?token=[\\w-]+`).exec(logs)?.[0] ?? '';
        return url;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .not.toBe('');
  let snapshot: Snapshot | undefined;
  await expect
    .poll(
      async () => {
        snapshot = await fetchSnapshot(url).catch(() => undefined);
        return snapshot?.host.engines[0]?.state === 'connected' && snapshot.containers.some((c) => c.name === 'db');
      },
      { timeout: 60_000, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  timings.ready = seconds(t);
  if (!snapshot) throw new Error('no snapshot');

  // db: the engine's view, the host's /proc and the container's /proc agree on the host pid.
  const dbId = (await docker('inspect', '-f', '{{.Id}}', 'db')).trim();
  const dbPid = Number((await docker('inspect', '-f', '{{.State.Pid}}', 'db')).trim());
  expect(dbPid).toBeGreaterThan(1);
  const db = snapshot.containers.find((c) => c.name === 'db');
  expect(db?.id).toBe(dbId);
  expect(db?.pid).toBe(dbPid);
  const redis = snapshot.processes.find((p) => p.pid === dbPid);
  expect(redis?.name).toBe('redis-server');
  expect(readFileSync(`/proc/${dbPid}/comm`, 'utf8').trim()).toBe('redis-server');
  expect(redis?.startTime).toBe(hostStartTime(dbPid));
  expect(redis?.nspid).toEqual([dbPid, 1]);
  // Attributed by its cgroup: the server reads /docker/<id>, i.e. the host's cgroup namespace.
  expect(redis?.containerId).toBe(dbId);

  // Host pids, not the container's: this test runner is there under its own pid, in no container.
  const me = snapshot.processes.find((p) => p.pid === process.pid);
  expect(me?.name).toBe(readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim());
  expect(me?.startTime).toBe(hostStartTime(process.pid));
  expect(me?.containerId).toBeNull();

  // And the dashboard sees itself: its server process is in its own container, pid 1 there.
  const self = snapshot.processes.find((p) => p.pid === containerPid);
  expect(self?.argv.join(' ')).toContain('server/src/main.ts');
  expect(self?.containerId).toBe(containerId);
  expect(self?.nspid).toEqual([containerPid]); // pid: host, so no second pid namespace
  expect(snapshot.containers.find((c) => c.id === containerId)?.pids).toContain(containerPid);

  // The runtime chain, with the shim → containerd link read from containerd's fds (CAP_SYS_PTRACE).
  const chain = findChain(snapshot, 'db');
  expect(chain.containerd.role).toBe('containerd');
  expect(chain.shim.logicalParent).toBe(chain.containerd.pid);
  expect(chain.dockerd.role).toBe('dockerd');

  // Least privilege: the server holds CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH and nothing else
  // (bits 19 and 2), cannot gain more, and that is enough to read every part of the chain.
  const status = readFileSync(`/proc/${containerPid}/status`, 'utf8');
  for (const set of ['CapEff', 'CapPrm', 'CapBnd']) expect(new RegExp(`^${set}:\\s+([0-9a-f]+)$`, 'm').exec(status)?.[1], set).toBe('0000000000080004');
  expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
  for (const { pid } of [chain.dockerd, chain.containerd, chain.shim, chain.init]) {
    const res = await apiFetch(`/api/processes/${pid}`, url);
    expect(res.status).toBe(200);
    const detail = processDetailSchema.parse(await res.json());
    expect(detail.notPermitted, `pid ${pid}`).toEqual([]);
    expect(detail.exe, `pid ${pid}`).not.toBeNull();
  }

  // The page, as a person opens it.
  await page.goto(url);
  await expect(page.getByTestId('container-item').filter({ hasText: 'db' })).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'compose-dashboard.png') });

  t = Date.now();
  await compose(readmeCompose('down'));
  composeUp = false;
  timings.down = seconds(t);
  expect(await projectContainers()).toEqual([]);
  console.log(`compose e2e, seconds: ${JSON.stringify(timings)}; image proclens:local ${Math.round(imageBytes / 1e6)} MB`);
});
