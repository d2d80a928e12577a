import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Snapshot } from '@proclens/shared';
import { apiFetch, fetchSnapshot, pageUrl } from '../api.ts';
import { repoRoot, startServer } from '../lab.ts';
import type { ServerProcess } from '../lab.ts';
import { attributed, drawnParent, parsePidColumn, proc, runtimeLabDown, runtimeLabUp, sh, waitForSnapshot, LAB_DOWN_MS, LAB_UP_MS } from '../runtime-lab.ts';

// containerd as on a Kubernetes node: its own daemon and socket, `ctr run` in the k8s.io namespace
// (a kubepods cgroup and the CRI labels a kubelet would set) and in a namespace of its own, and no
// Docker API at all: the server is pointed at a socket that does not exist.

const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
const IMAGE = 'docker.io/library/redis:alpine';
const POD_CGROUP = 'kubepods/besteffort/pod3b0c6f2e-9d1a-4e7b-8c5d-2a1f0e9d8c7b';
const CONTAINERS = [
  { id: 'e2e-redis', namespace: 'k8s.io', exec: 'sleep 303' },
  { id: 'e2e-app', namespace: 'lab', exec: 'sleep 304' },
] as const;
const LABELS = { 'io.kubernetes.pod.name': 'redis-e2e', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.container.name': 'redis' };

let dir = '';
let server: ServerProcess | undefined;
const ctr = (namespace: string, ...args: string[]) => sh(path.join(dir, 'ctr'), ['-n', namespace, ...args]);
const base = () => server?.url ?? '';
const containerdPid = () => Number(readFileSync(`${dir}/containerd.pid`, 'utf8').trim());

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(LAB_UP_MS + LAB_DOWN_MS);
  await runtimeLabDown('containerd');
  dir = await runtimeLabUp('containerd', { LAB_NO_DB: '1' });
  // The cgroups runc leaves behind go with the lab (lab-runtime-down.sh removes these while empty).
  appendFileSync(`${dir}/cgroups`, `${POD_CGROUP}\nlab/e2e-app\n`);
  const run = ['run', '-d', '--snapshotter', 'native', '--runc-root', `${dir}/runc`];
  const labels = Object.entries(LABELS).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await ctr('k8s.io', ...run, '--cgroup', `${POD_CGROUP}/e2e-redis`, ...labels, IMAGE, 'e2e-redis');
  await ctr('lab', ...run, '--env', 'PATH=/bin', IMAGE, 'e2e-app', 'sleep', '1000');
  for (const c of CONTAINERS) await ctr(c.namespace, 'task', 'exec', '-d', '--exec-id', 'e2e', c.id, ...c.exec.split(' '));
  server = await startServer({ DOCKER_HOST: `unix://${dir}/no-docker-here.sock` });
});

test.afterAll(async () => {
  test.setTimeout(LAB_DOWN_MS + 30_000);
  await server?.stop();
  await runtimeLabDown('containerd');
});

const byId = (s: Snapshot, id: string) => s.containers.find((c) => c.id === id);

test("no Docker API: the containers come from containerd's own metadata, with namespace, image and CRI labels", async () => {
  const s = await waitForSnapshot(base(), (x) => CONTAINERS.every((c) => byId(x, c.id)?.source === 'api') && x);
  expect(s.host.engines.find((e) => e.kind === 'docker')?.state).toBe('disconnected');
  expect(s.host.engines.find((e) => e.kind === 'containerd')).toMatchObject({ state: 'connected', endpoint: expect.stringContaining(`${dir}/c.sock`) });
  expect(byId(s, 'e2e-redis')).toMatchObject({
    engine: 'containerd',
    namespace: 'k8s.io',
    image: IMAGE,
    state: 'running',
    labels: expect.objectContaining(LABELS),
  });
  expect(byId(s, 'e2e-app')).toMatchObject({ engine: 'containerd', namespace: 'lab', command: 'sleep 1000', state: 'running' });
});

test("every process attributed to each container is exactly what `ctr task ps` lists, the exec'd one included", async () => {
  for (const c of CONTAINERS) {
    const expected = parsePidColumn(await ctr(c.namespace, 'task', 'ps', c.id));
    expect(expected.length).toBe(2);
    const s = await waitForSnapshot(base(), (x) => attributed(x, c.id).join() === expected.join() && x);
    expect(byId(s, c.id)?.pids).toEqual(expected);
    expect(s.processes.find((p) => p.containerId === c.id && p.argv.join(' ') === c.exec)).toBeDefined();
  }
});

test('the kubepods cgroup with a non-hex id is what names the container, and each shim is linked to this containerd, with no dockerd above it', async () => {
  const s = await fetchSnapshot(base());
  const init = proc(s, byId(s, 'e2e-redis')?.pid);
  const detail = (await (await apiFetch(`/api/processes/${init.pid}`, base())).json()) as { cgroup: Array<{ path: string }> };
  expect(detail.cgroup.map((l) => l.path)).toContain(`/${POD_CGROUP}/e2e-redis`);
  for (const c of CONTAINERS) {
    const shim = proc(s, proc(s, byId(s, c.id)?.pid).ppid);
    expect(shim).toMatchObject({ role: 'shim', ppid: 1, shimOf: c.id, logicalParent: containerdPid() });
    expect(shim.argv).toEqual(expect.arrayContaining(['-namespace', c.namespace, '-address', `${dir}/c.sock`]));
  }
  const containerd = proc(s, containerdPid());
  expect(containerd.logicalParent).toBeNull();
  expect(drawnParent(s, containerd).role).not.toBe('dockerd');
});

test("the card shows containerd, its namespace and the pod; the detail says the facts are containerd's own", async ({ page }) => {
  await page.goto(pageUrl('', base()));
  const card = page.getByTestId('container-item').filter({ hasText: 'e2e-redis' });
  await expect(card.getByTestId('container-engine')).toHaveText('containerd · k8s.io');
  await expect(card).toContainText('pod shop/redis-e2e · container redis');
  await card.click();
  await expect(page.getByTestId('container-source')).toContainText("containerd's API (its own metadata)");
  await expect(page.getByTestId('container-pod')).toContainText('shop/redis-e2e');
  await expect(page.getByTestId('container-detail')).toContainText('ctr -n k8s.io task ps e2e-redis');
  await page.screenshot({ path: path.join(ARTIFACTS, 'runtime-containerd.png') });
});

test('with containerd stopped the shims keep the containers running, and the page lists them from /proc and the shims alone', async ({ page }) => {
  const before = await fetchSnapshot(base());
  process.kill(containerdPid(), 'SIGTERM');
  const s = await waitForSnapshot(base(), (x) => CONTAINERS.every((c) => byId(x, c.id)?.source === 'proc') && x);
  // Other containerds on this host may answer; this one is reported unreachable.
  expect(s.host.engines.find((e) => e.kind === 'containerd')?.error).toContain(`${dir}/c.sock: no containerd listens there`);
  for (const c of CONTAINERS) {
    // The same container, its namespace from the shim's -namespace, its processes from /proc; no labels.
    expect(byId(s, c.id)).toMatchObject({
      engine: 'containerd',
      namespace: c.namespace,
      state: 'running',
      pid: byId(before, c.id)?.pid,
      labels: {},
      image: '',
    });
    expect(byId(s, c.id)?.pids).toEqual(byId(before, c.id)?.pids);
  }
  await page.goto(pageUrl('', base()));
  const card = page.getByTestId('container-item').filter({ hasText: 'e2e-app' });
  await expect(card.getByTestId('container-engine')).toHaveText('containerd · lab · from /proc');
  await card.click();
  await expect(page.getByTestId('container-source')).toContainText("from /proc and the shim's arguments");
  await expect(page.getByTestId('container-top')).toContainText('sleep 304');
  await page.screenshot({ path: path.join(ARTIFACTS, 'runtime-containerd-proc.png') });

  // containerd comes back, finds its shims, and the facts are its own again.
  await runtimeLabUp('containerd', { LAB_NO_DB: '1' });
  await waitForSnapshot(base(), (x) => CONTAINERS.every((c) => byId(x, c.id)?.source === 'api') && x);
});
