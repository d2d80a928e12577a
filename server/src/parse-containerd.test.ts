import { describe, expect, it } from 'vitest';
import { readFixture } from '../../shared/fixtures/read-fixture.js';
import { parseContainerdConfig, parseContainerdList, parseContainerdNamespaces, parseContainerdVersion } from './parse-containerd.ts';

// Shaped as ContainerdClient decodes containerd 1.6's answers (seen on this machine); the spec is
// the real one containerd kept for the lab's redis-0 (shared/fixtures/runtimes/containerd/).
const SPEC = readFixture('runtimes/containerd/spec-redis-0.json');
const LABELS = { 'io.kubernetes.pod.name': 'redis-0', 'io.kubernetes.pod.namespace': 'lab', 'io.kubernetes.container.name': 'redis' };
const container = (id: string, spec = SPEC) => ({
  id,
  labels: LABELS,
  image: 'docker.io/library/redis:alpine',
  spec: { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', value: Buffer.from(spec) },
  createdAt: { seconds: 1796044621, nanos: 923852594 },
});
const NEVER = { seconds: -62135596800, nanos: 0 };

describe('parseContainerdList', () => {
  it('parseContainerdList joins containers with their tasks: state, init pid and exit code from the task, labels and image from the metadata', () => {
    const tasks = {
      tasks: [
        { containerId: '', id: 'redis-0', pid: 25554, status: 'RUNNING', exitStatus: 0, exitedAt: NEVER },
        { containerId: '', id: 'done', pid: 0, status: 'STOPPED', exitStatus: 3, exitedAt: { seconds: 1796044700, nanos: 0 } },
      ],
    };
    const list = parseContainerdList('k8s.io', { containers: [container('redis-0'), container('done'), container('made')] }, tasks);
    expect(list.map((c) => [c.id, c.state, c.pid, c.exitCode, c.status])).toEqual([
      ['redis-0', 'running', 25554, null, 'running'],
      ['done', 'exited', null, 3, 'exited (3)'],
      ['made', 'created', null, null, 'no task'],
    ]);
    expect(list[0]).toMatchObject({
      engine: 'containerd',
      namespace: 'k8s.io',
      source: 'api',
      name: 'redis-0',
      image: 'docker.io/library/redis:alpine',
      command: 'redis-server --protected-mode no --save  --appendonly no',
      created: 1796044621923,
      labels: LABELS,
    });
  });

  it('parseContainerdList leaves out what does not validate and survives answers of the wrong shape', () => {
    expect(parseContainerdList('lab', { containers: [{ id: 7 }, container('ok')] }, { tasks: [{ id: 'ok', pid: -1 }] }).map((c) => [c.id, c.state])).toEqual([
      ['ok', 'created'],
    ]);
    expect(parseContainerdList('lab', null, 'x')).toEqual([]);
  });

  it('parseContainerdList shows no command for a spec that is not JSON', () => {
    expect(parseContainerdList('lab', { containers: [container('x', '{not json')] }, { tasks: [] })[0]?.command).toBe('');
  });
});

describe('parseContainerdConfig', () => {
  it("parseContainerdConfig reads the command, environment, user, working directory, mounts and network from containerd's OCI spec", () => {
    const config = parseContainerdConfig({ container: container('redis-0') });
    expect(config).toMatchObject({
      command: ['redis-server', '--protected-mode', 'no', '--save', '', '--appendonly', 'no'],
      user: '0:0',
      workingDir: '/data',
      startedAt: null,
      labels: LABELS,
    });
    expect(config?.env).toContainEqual({ name: 'PATH', value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
    expect(config?.mounts).toContainEqual({ type: 'proc', source: 'proc', destination: '/proc', readWrite: true });
    // ctr run without --net-host gives the container its own network namespace.
    expect(config?.networkMode).toBe('own network namespace');
  });

  it('parseContainerdConfig answers null for an answer without a container', () => {
    expect(parseContainerdConfig({})).toBeNull();
    expect(parseContainerdConfig(undefined)).toBeNull();
  });
});

describe('parseContainerdNamespaces and parseContainerdVersion', () => {
  it('read the names and the version, and nothing from a malformed answer', () => {
    expect(parseContainerdNamespaces({ namespaces: [{ name: 'k8s.io' }, { name: 'lab' }] })).toEqual(['k8s.io', 'lab']);
    expect(parseContainerdNamespaces({ namespaces: [{ name: 5 }] })).toEqual([]);
    expect(parseContainerdVersion({ version: '1.6.20~ds1', revision: 'x' })).toBe('1.6.20~ds1');
    expect(parseContainerdVersion({})).toBeNull();
  });
});
