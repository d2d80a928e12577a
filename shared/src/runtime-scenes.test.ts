import { describe, expect, it } from 'vitest';
import { buildLogicalParents } from './build-logical-parents.ts';
import { buildProcContainers } from './build-proc-containers.ts';
import { buildServedAttribution, buildServedQuery } from './build-served-attribution.ts';
import type { ProcessInfo } from './model.ts';
import { readRuntimeScene } from './read-runtime-scene.ts';
import type { RuntimeScene } from './read-runtime-scene.ts';

// Real captures of each runtime on this project's test machine (shared/fixtures/runtimes/, made by
// capture-runtimes.sh), checked against what the runtime's own tools said at the same moment.
const SCENES = ['docker', 'podman', 'containerd', 'docker-rootless', 'podman-rootless'] as const;

/** What the monitor does each tick: cgroup rules (already in the rows), then the served step. */
function attribute(scene: RuntimeScene): ProcessInfo[] {
  const cgroups = new Map(buildServedQuery(scene.processes).map((pid) => [pid, scene.cgroups.get(pid) ?? []]));
  const served = buildServedAttribution(scene.processes, cgroups);
  return scene.processes.map((p) => (served.has(p.pid) ? { ...p, containerId: served.get(p.pid) ?? null } : p));
}

/** The runtime's own list of a container's processes, as host pids. */
function runtimeTop(scene: RuntimeScene, c: RuntimeScene['runtime']['containers'][number]): number[] {
  if (c.top) return c.top;
  // Rootless Docker on cgroup v1: `docker top` fails; `ps` inside the container lists pids in its
  // namespace, which NSpid maps back to the host (the container's init is pid 1 there).
  const initNs = scene.processes.find((p) => p.pid === c.init)?.nspid.length ?? 0;
  return scene.processes
    .filter((p) => p.nspid.length === initNs && c.insidePids?.includes(p.nspid[p.nspid.length - 1] ?? -1))
    .map((p) => p.pid)
    .sort((a, b) => a - b);
}

const pidsOf = (processes: readonly ProcessInfo[], id: string) =>
  processes
    .filter((p) => p.containerId === id)
    .map((p) => p.pid)
    .sort((a, b) => a - b);

describe.each(SCENES)('the %s capture', (name) => {
  const scene = readRuntimeScene(name);

  it.each(scene.runtime.containers)('attributes to $name exactly the processes its runtime lists', (c) => {
    const top = runtimeTop(scene, c);
    expect(top).toContain(c.init);
    expect(pidsOf(attribute(scene), c.id)).toEqual(top);
  });

  it("holds an exec'd process beside a container's init (the case tools that walk down from the init miss)", () => {
    const tops = scene.runtime.containers.map((c) => runtimeTop(scene, c));
    expect(tops.some((top) => top.length >= 2)).toBe(true);
  });

  it('builds from /proc alone the containers its runtime lists, with engine, namespace, name and init', () => {
    const built = buildProcContainers(attribute(scene), new Set());
    // A conmon names its container (-n); a shim knows only the id, shown short when it is 64 hex.
    const expected = scene.runtime.containers.map((c) => ({
      id: c.id,
      engine: scene.runtime.engine,
      namespace: c.namespace,
      name: scene.runtime.engine === 'podman' ? c.name : /^[0-9a-f]{64}$/.test(c.id) ? c.id.slice(0, 12) : c.id,
      pid: c.init,
      source: 'proc',
    }));
    expect(built.map(({ id, engine, namespace, name, pid, source }) => ({ id, engine, namespace, name, pid, source }))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(built).toHaveLength(expected.length);
  });

  it('builds no container that an engine API already listed', () => {
    expect(buildProcContainers(attribute(scene), new Set(scene.runtime.containers.map((c) => c.id)))).toEqual([]);
  });
});

describe('runtime chains in the captures', () => {
  const parentOf = (scene: RuntimeScene, pid: number) => {
    const links = buildLogicalParents(scene.processes, scene.listeners);
    return links.get(pid) ?? scene.processes.find((p) => p.pid === pid)?.ppid;
  };
  const byRole = (scene: RuntimeScene, role: ProcessInfo['role']) => scene.processes.filter((p) => p.role === role);

  it.each(['docker', 'containerd', 'docker-rootless'])('links every shim of the %s capture to the containerd listening on its -address', (name) => {
    const scene = readRuntimeScene(name);
    const [containerd, ...others] = byRole(scene, 'containerd');
    expect(others).toEqual([]);
    const shims = byRole(scene, 'shim');
    expect(shims.length).toBe(scene.runtime.containers.length);
    for (const shim of shims) {
      expect(shim.ppid).toBe(1);
      expect(parentOf(scene, shim.pid)).toBe(containerd?.pid);
    }
  });

  it('reads the rootless Docker chain rootlesskit → rootlesskit (/proc/self/exe) → dockerd → containerd, all as the user', () => {
    const scene = readRuntimeScene('docker-rootless');
    const [containerd] = byRole(scene, 'containerd');
    const dockerd = scene.processes.find((p) => p.pid === containerd?.ppid);
    const child = scene.processes.find((p) => p.pid === dockerd?.ppid);
    const kit = scene.processes.find((p) => p.pid === child?.ppid);
    expect([dockerd?.role, child?.role, kit?.role, child?.argv[0]]).toEqual(['dockerd', 'rootlesskit', 'rootlesskit', '/proc/self/exe']);
    expect(new Set(scene.processes.map((p) => p.uid))).toEqual(new Set([containerd?.uid]));
    expect(containerd?.uid).not.toBe(0);
  });

  it.each(['podman', 'podman-rootless'])('links the %s exec session conmon to the container conmon', (name) => {
    const scene = readRuntimeScene(name);
    const conmons = byRole(scene, 'conmon');
    expect(conmons).toHaveLength(2);
    const init = scene.runtime.containers[0]?.init;
    const main = conmons.find((c) => scene.processes.some((p) => p.pid === init && p.ppid === c.pid));
    const session = conmons.find((c) => c !== main);
    expect(main?.ppid).toBe(1);
    expect(parentOf(scene, session?.pid ?? 0)).toBe(main?.pid);
  });

  it('links the rootful Podman conmon to the API service on the same storage root', () => {
    const scene = readRuntimeScene('podman');
    const [service, ...others] = byRole(scene, 'podman');
    expect(others).toEqual([]);
    expect(service?.argv).toContain('service');
    const init = scene.runtime.containers[0]?.init ?? 0;
    const main = scene.processes.find((p) => p.pid === scene.processes.find((q) => q.pid === init)?.ppid);
    expect(parentOf(scene, main?.pid ?? 0)).toBe(service?.pid);
  });
});

describe('what the cgroup rules alone miss in the captures (the served step is what attributes them)', () => {
  it.each([
    ['containerd', 'web'],
    ['containerd', 'redis-0'],
    ['docker-rootless', 'rdb'],
    ['podman-rootless', 'prl'],
  ])('the %s capture: %s', (name, container) => {
    const scene = readRuntimeScene(name);
    const c = scene.runtime.containers.find((x) => x.name === container);
    expect(pidsOf(scene.processes, c?.id ?? '')).toEqual([]);
    expect(pidsOf(attribute(scene), c?.id ?? '')).toContain(c?.init);
  });
});
