import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Snapshot } from '@proclens/shared';
import { fetchSnapshot, pageUrl } from '../api.ts';
import { repoRoot, startServer } from '../lab.ts';
import type { ServerProcess } from '../lab.ts';
import { attributed, drawnParent, parsePidColumn, proc, runtimeLabDown, runtimeLabUp, sh, waitForSnapshot, LAB_DOWN_MS, LAB_UP_MS } from '../runtime-lab.ts';

// Rootless Docker: Debian's dockerd-rootless.sh run by a throw-away user the lab creates (and
// userdel removes, with its subordinate id ranges): rootlesskit makes a user, mount and network
// namespace, re-executes itself there as /proc/self/exe, and starts dockerd → containerd inside.

const ARTIFACTS = path.join(repoRoot, 'e2e/artifacts');
let dir = '';
let server: ServerProcess | undefined;
const docker = (...args: string[]) => sh('docker', args, { DOCKER_HOST: `unix://${dir}/xdg/docker.sock` });
const base = () => server?.url ?? '';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(LAB_UP_MS + LAB_DOWN_MS);
  await runtimeLabDown('rootless');
  dir = await runtimeLabUp('rootless');
  await docker('exec', '-d', 'rcache', 'sleep', '305');
  server = await startServer({ DOCKER_HOST: `unix://${dir}/xdg/docker.sock` });
});

test.afterAll(async () => {
  test.setTimeout(LAB_DOWN_MS + 30_000);
  await server?.stop();
  await runtimeLabDown('rootless');
});

const rcache = (s: Snapshot) => s.containers.find((c) => c.name === 'rcache' && c.source === 'api');

/**
 * What the runtime itself lists for rcache. `docker top` asks the container's cgroup; where rootless
 * Docker gets none (cgroup v1, or v2 without systemd delegation: this machine) it fails, and the
 * container's own `ps` is what lists its processes, mapped to host pids by NSpid.
 */
async function runtimeList(s: Snapshot): Promise<{ how: string; pids: number[] }> {
  try {
    return { how: 'docker top', pids: parsePidColumn(await docker('top', 'rcache', '-o', 'pid')) };
  } catch (err) {
    expect(String(err)).toContain('unable to get all container pids');
    // busybox ps lists itself too: leave that row out.
    const table = await docker('exec', 'rcache', 'ps', '-o', 'pid,args');
    const inside = parsePidColumn(
      table
        .split('\n')
        .filter((row) => !row.includes('ps -o pid,args'))
        .join('\n'),
    );
    test.info().annotations.push({ type: 'ps-inside', description: table });
    const init = proc(s, rcache(s)?.pid);
    const pids = s.processes
      .filter((p) => p.nspid.length === init.nspid.length && inside.includes(p.nspid.at(-1) ?? -1) && p.uid === init.uid)
      .map((p) => p.pid);
    return { how: 'ps inside the container (docker top fails: no cgroup of its own)', pids: pids.sort((a, b) => a - b) };
  }
}

test("every process attributed to rcache is what the runtime lists, the exec'd one included", async () => {
  const s = await waitForSnapshot(base(), (x) => (rcache(x)?.pids.length ?? 0) >= 2 && x);
  const { how, pids } = await runtimeList(s);
  test.info().annotations.push({ type: 'runtime-list', description: `${how}: ${pids.join(' ')}` });
  expect(pids).toContain(rcache(s)?.pid);
  expect(s.processes.find((p) => pids.includes(p.pid) && p.argv.join(' ') === 'sleep 305')).toBeDefined();
  expect(attributed(s, rcache(s)?.id ?? '')).toEqual(pids);
});

test("the user's chain: rootlesskit → rootlesskit (/proc/self/exe) → dockerd → containerd, the shim linked to that containerd, all as the user", async () => {
  const uid = Number((await sh('id', ['-u', readFileSync(`${dir}/user`, 'utf8').trim()])).trim());
  expect(uid).toBeGreaterThan(0);
  const s = await fetchSnapshot(base());
  const init = proc(s, rcache(s)?.pid);
  const shim = proc(s, init.ppid);
  expect(shim).toMatchObject({ role: 'shim', ppid: 1, shimOf: rcache(s)?.id });
  const containerd = drawnParent(s, shim);
  expect(shim.logicalParent).toBe(containerd.pid);
  const dockerd = drawnParent(s, containerd);
  const child = drawnParent(s, dockerd);
  const kit = drawnParent(s, child);
  expect([containerd.role, dockerd.role, child.role, kit.role]).toEqual(['containerd', 'dockerd', 'rootlesskit', 'rootlesskit']);
  expect(kit.pid).toBe(Number(readFileSync(`${dir}/rootlesskit.pid`, 'utf8').trim()));
  expect(child.argv[0]).toBe('/proc/self/exe');
  for (const p of [kit, child, dockerd, containerd, shim, init]) expect(p.uid).toBe(uid);
  // rootlesskit's child is where the user namespace begins: root inside, the user outside.
  expect(child.newNamespaces).toEqual(expect.arrayContaining(['user', 'mnt', 'net']));
});

test('the card shows the rootless container as Docker', async ({ page }) => {
  await page.goto(pageUrl('', base()));
  const card = page.getByTestId('container-item').filter({ hasText: 'rcache' });
  await expect(card.getByTestId('container-engine')).toHaveText('Docker');
  await card.click();
  await expect(page.getByTestId('container-top')).toContainText('sleep 305');
  await page.screenshot({ path: path.join(ARTIFACTS, 'runtime-rootless.png') });
});
