import { describe, expect, it } from 'vitest';
import { testContainer } from '@proclens/shared/testing';
import { formatEngine, formatPod, formatSource, formatTopCommand } from './container-source.ts';

const podman = testContainer('a'.repeat(64), 'pcache', [10], { engine: 'podman', namespace: null });
const k8s = testContainer('redis-0', 'redis-0', [20], {
  engine: 'containerd',
  namespace: 'k8s.io',
  labels: { 'io.kubernetes.pod.name': 'redis-0', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.container.name': 'redis' },
});
const shimOnly = testContainer('web', 'web', [30], { engine: 'containerd', namespace: 'lab', source: 'proc', image: '' });
const docker = testContainer('b'.repeat(64), 'db', [40]);

describe('container-source', () => {
  it.each([
    [docker, 'Docker', "from Docker's API", 'docker top db'],
    [podman, 'Podman', "from Podman's Docker-compatible API", 'podman top pcache'],
    [k8s, 'containerd · k8s.io', "from containerd's API (its own metadata)", 'ctr -n k8s.io task ps redis-0'],
    [shimOnly, 'containerd · lab', "from /proc and the shim's arguments: no engine API answered for it", 'ctr -n lab task ps web'],
  ])('a %# container says its engine, where its facts came from, and the runtime command that lists its processes', (c, engine, source, top) => {
    expect([formatEngine(c), formatSource(c), formatTopCommand(c)]).toEqual([engine, source, top]);
  });

  it("a Podman container seen only in /proc says its facts came from conmon's arguments", () => {
    expect(formatSource(testContainer('d', 'p', [], { engine: 'podman', source: 'proc' }))).toContain("conmon's arguments");
  });

  it('formatPod reads the CRI labels, and nothing without them', () => {
    expect(formatPod(k8s)).toBe('pod shop/redis-0 · container redis');
    expect(formatPod(docker)).toBeNull();
  });
});
