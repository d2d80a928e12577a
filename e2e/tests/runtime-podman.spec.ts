import path from 'node:path';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Snapshot } from '@proclens/shared';
import { fetchSnapshot, pageUrl } from '../api.ts';
import { DOCKER_HOST, repoRoot, startServer } from '../lab.ts';
import type { ServerProcess } from '../lab.ts';
import { attributed, drawnParent, parsePidColumn, proc, runtimeLabDown, runtimeLabUp, sh, waitForSnapshot, LAB_DOWN_MS, LAB_UP_MS } from '../runtime-lab.ts';

// Rootful Podman (Debian's podman 4, vfs, cgroupfs manager) beside the suite's Docker lab, its
// Docker-compatible API served by `podman system service`; proclens watches both engines.

const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
let dir = '';
let server: ServerProcess | undefined;
const podman = (...args: string[]) => sh(path.join(dir, 'podman'), args);

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(LAB_UP_MS + LAB_DOWN_MS);
  await runtimeLabDown('podman');
  dir = await runtimeLabUp('podman');
  // A process started by `podman exec`: Podman starts one more conmon for it.
  await podman('exec', '-d', 'pcache', 'sleep', '301');
  // Found the way Podman's own clients find it: CONTAINER_HOST (the same as --podman-host).
  server = await startServer({ DOCKER_HOST, CONTAINER_HOST: `unix://${dir}/podman.sock` });
});

test.afterAll(async () => {
  test.setTimeout(LAB_DOWN_MS + 30_000);
  await server?.stop();
  await runtimeLabDown('podman');
});

const base = () => server?.url ?? '';

test('Docker and Podman side by side: each container says which engine owns it', async () => {
  // Until the APIs answer, both containers already show, built from /proc (source 'proc').
  const listed = (x: Snapshot, name: string) => x.containers.some((c) => c.name === name && c.source === 'api');
  const connected = (x: Snapshot) => x.host.engines.filter((e) => e.kind !== 'containerd').every((e) => e.state === 'connected');
  const s = await waitForSnapshot(base(), (x) => listed(x, 'pcache') && listed(x, 'db') && connected(x) && x);
  expect(s.host.engines.map((e) => [e.kind, e.state])).toEqual([
    ['docker', 'connected'],
    ['podman', 'connected'],
    ['containerd', expect.any(String)],
  ]);
  expect(s.host.engines[1]?.version).toMatch(/^4\./);
  const pcache = s.containers.find((c) => c.name === 'pcache');
  const db = s.containers.find((c) => c.name === 'db');
  expect(pcache).toMatchObject({ engine: 'podman', source: 'api', namespace: null, image: 'localhost/redis:alpine', state: 'running' });
  expect(db).toMatchObject({ engine: 'docker', source: 'api', namespace: 'moby' });
});

test("every process attributed to pcache is exactly what `podman top pcache hpid` lists, the exec'd one included", async () => {
  const top = async () => parsePidColumn(await podman('top', 'pcache', 'hpid'));
  await expect.poll(async () => (await top()).length).toBeGreaterThanOrEqual(2);
  const expected = await top();
  const s = await waitForSnapshot(base(), (x) => {
    const id = x.containers.find((c) => c.name === 'pcache')?.id;
    return id && attributed(x, id).join() === expected.join() ? x : null;
  });
  const pcache = s.containers.find((c) => c.name === 'pcache');
  expect(pcache?.pids).toEqual(expected);
  expect(expected).toContain(pcache?.pid);
});

test("the chain reads podman's way: API service → conmon → redis-server, and the exec session's conmon beside it", async () => {
  const service = Number(readFileSync(`${dir}/service.pid`, 'utf8').trim());
  const s = await fetchSnapshot(base());
  const pcache = s.containers.find((c) => c.name === 'pcache');
  const init = proc(s, pcache?.pid);
  expect(init.name).toBe('redis-server');
  expect(init.nspid.at(-1)).toBe(1);
  const conmon = proc(s, init.ppid);
  expect(conmon).toMatchObject({ role: 'conmon', ppid: 1, shimOf: pcache?.id, logicalParent: service });
  expect(proc(s, service).role).toBe('podman');
  const exec = s.processes.find((p) => p.containerId === pcache?.id && p.argv.join(' ') === 'sleep 301');
  const session = proc(s, exec?.ppid);
  expect(session).toMatchObject({ role: 'conmon', ppid: 1, shimOf: pcache?.id });
  // Drawn under the container's own conmon, as a docker exec is drawn under the shim.
  expect(drawnParent(s, session).pid).toBe(conmon.pid);
});

test('what the API says of a container follows podman by its events: stop, exit code, remove', async () => {
  await podman('run', '-d', '--name', 'pweb', '--network=none', 'localhost/redis:alpine');
  await waitForSnapshot(base(), (x) => x.containers.find((c) => c.name === 'pweb' && c.state === 'running' && c.pids.length === 1));
  await podman('stop', '-t', '0', 'pweb');
  const stopped = await waitForSnapshot(base(), (x) => x.containers.find((c) => c.name === 'pweb' && c.state === 'exited'));
  // Killed after no grace time: 128 + SIGKILL, in Podman's "Exited (137) … ago" as in Docker's.
  expect(stopped).toMatchObject({ exitCode: 137, pid: null, pids: [] });
  await podman('rm', 'pweb');
  await waitForSnapshot(base(), (x) => !x.containers.some((c) => c.name === 'pweb'));
});

test('the container card shows its engine, and the detail says where its facts came from', async ({ page }) => {
  await page.goto(pageUrl('', base()));
  const card = page.getByTestId('container-item').filter({ hasText: 'pcache' });
  await expect(card.getByTestId('container-engine')).toHaveText('Podman');
  await expect(page.getByTestId('container-item').filter({ hasText: /^db/ }).getByTestId('container-engine')).toHaveText('Docker');
  await card.click();
  await expect(page.getByTestId('container-source')).toContainText("Podman's Docker-compatible API");
  await expect(page.getByTestId('container-detail')).toContainText('podman top pcache');
  await expect(page.getByTestId('container-top')).toContainText('sleep 301');
  const box = await card.getByTestId('container-engine').boundingBox();
  expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 720).toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, 'runtime-podman.png') });
});
