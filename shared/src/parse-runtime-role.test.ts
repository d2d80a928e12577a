import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/read-fixture.js';
import { parseNulList } from './parse-nul-list.ts';
import { parseConmonArgs, parseFlag, parseRuntimeRole, parseServedContainer, parseShimArgs } from './parse-runtime-role.ts';
import { readRuntimeScene } from './read-runtime-scene.ts';
import { parseStat } from './parse-stat.ts';

const ID = '19b0c7c81938f568b4d41af3272ebfb31c5eb3083053bf43baeddadbb26f52a6';
const MODERN = ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', ID, '-address', '/run/containerd/containerd.sock'];
const V1 = [
  'containerd-shim',
  '-namespace',
  'moby',
  '-workdir',
  `/var/lib/containerd/io.containerd.runtime.v1.linux/moby/${ID}`,
  '-address',
  '/run/containerd/containerd.sock',
  '-containerd-binary',
  '/usr/bin/containerd',
  '-runtime-root',
  '/var/run/docker/runtime-runc',
];
const OLD = ['docker-containerd-shim', ID, `/var/run/docker/libcontainerd/${ID}`, 'docker-runc'];

describe('parseRuntimeRole', () => {
  it.each([
    { argv: MODERN, comm: 'containerd-shim', role: 'shim' },
    { argv: V1, comm: 'containerd-shim', role: 'shim' },
    { argv: OLD, comm: 'docker-containe', role: 'shim' },
    { argv: ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'], comm: 'dockerd', role: 'dockerd' },
    { argv: ['containerd', '--config', '/var/run/docker/containerd/containerd.toml'], comm: 'containerd', role: 'containerd' },
    { argv: ['/usr/bin/containerd'], comm: 'containerd', role: 'containerd' },
    { argv: ['docker-containerd', '-l', 'unix:///var/run/docker/libcontainerd/docker-containerd.sock'], comm: 'docker-containe', role: 'containerd' },
    { argv: ['runc', '--root', '/var/run/docker/runtime-runc/moby', 'init'], comm: 'runc:[2:INIT]', role: 'runc' },
    { argv: ['docker-runc', 'init'], comm: 'docker-runc', role: 'runc' },
    { argv: ['/sbin/docker-init', '--', 'redis-server'], comm: 'docker-init', role: 'docker-init' },
    { argv: ['/usr/bin/docker-proxy', '-proto', 'tcp', '-host-port', '6379'], comm: 'docker-proxy', role: 'docker-proxy' },
    { argv: ['/usr/bin/conmon', '--api-version', '1', '-c', ID, '-n', 'db'], comm: 'conmon', role: 'conmon' },
    { argv: ['redis-server *:6379'], comm: 'redis-server', role: null },
    { argv: ['sleep', '30'], comm: 'sleep', role: null },
    { argv: ['/usr/bin/containerd-stress'], comm: 'containerd-stre', role: null },
  ])('parseRuntimeRole reads $argv.0 as $role', ({ argv, comm, role }) => {
    expect(parseRuntimeRole(argv, comm)).toBe(role);
  });

  it('parseRuntimeRole falls back to comm for a process without argv', () => {
    expect(parseRuntimeRole([], 'containerd')).toBe('containerd');
    expect(parseRuntimeRole([], 'kthreadd')).toBeNull();
  });

  it('parseRuntimeRole reads the role from the full name that comm cuts to 15 bytes', () => {
    const argv = parseNulList(readFixture('proc/comm-truncated/cmdline'));
    const comm = parseStat(readFixture('proc/comm-truncated/stat'))?.comm ?? '';
    expect(comm).toBe('containerd-shim');
    expect(parseRuntimeRole(argv, comm)).toBe('shim');
  });

  it.each(['sleep', 'comm-parens', 'redis-server', 'zombie', 'kthreadd'])('parseRuntimeRole gives the %s capture no role', (name) => {
    const argv = parseNulList(readFixture(`proc/${name}/cmdline`));
    const comm = parseStat(readFixture(`proc/${name}/stat`))?.comm ?? '';
    expect(parseRuntimeRole(argv, comm)).toBeNull();
  });
});

describe('parseShimArgs', () => {
  it('parseShimArgs reads a modern containerd-shim-runc-v2', () => {
    expect(parseShimArgs(MODERN)).toEqual({ id: ID, namespace: 'moby', address: '/run/containerd/containerd.sock' });
  });

  it('parseShimArgs reads a Kubernetes shim in the k8s.io namespace', () => {
    const argv = ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'k8s.io', '-id', ID, '-address', '/run/containerd/containerd.sock'];
    expect(parseShimArgs(argv)).toEqual({ id: ID, namespace: 'k8s.io', address: '/run/containerd/containerd.sock' });
  });

  it('parseShimArgs reads the container id of a v1 shim from its -workdir', () => {
    expect(parseShimArgs(V1)).toEqual({ id: ID, namespace: 'moby', address: '/run/containerd/containerd.sock' });
  });

  it('parseShimArgs reads the container id of an old docker-containerd-shim from its first argument', () => {
    expect(parseShimArgs(OLD)).toEqual({ id: ID, namespace: null, address: null });
  });

  it.each([
    ['--flag=value', ['containerd-shim-runc-v2', `--id=${ID}`, '--namespace=moby', '--address=/run/c.sock']],
    ['-flag=value', ['containerd-shim-runc-v2', `-id=${ID}`, '-namespace=moby', '-address=/run/c.sock']],
    ['--flag value', ['containerd-shim-runc-v2', '--id', ID, '--namespace', 'moby', '--address', '/run/c.sock']],
  ])('parseShimArgs reads the %s form', (_label, argv) => {
    expect(parseShimArgs(argv)).toEqual({ id: ID, namespace: 'moby', address: '/run/c.sock' });
  });

  it('parseShimArgs answers nulls for a shim started without arguments', () => {
    expect(parseShimArgs(['containerd-shim-runc-v2'])).toEqual({ id: null, namespace: null, address: null });
  });
});

describe('parseFlag', () => {
  it.each([
    [['dockerd', '--containerd=/run/containerd/containerd.sock'], '/run/containerd/containerd.sock'],
    [['dockerd', '--containerd', '/run/containerd/containerd.sock'], '/run/containerd/containerd.sock'],
    [['dockerd', '-containerd', '/run/c.sock'], '/run/c.sock'],
    [['dockerd', '--containerd-namespace=moby'], null],
    [['dockerd', '--containerd'], null],
    [['dockerd'], null],
    [['--containerd=/not/argv0'], null],
    [['x', '--containerd=a=b'], 'a=b'],
  ])('parseFlag reads containerd from %j as %j', (argv, value) => {
    expect(parseFlag(argv, 'containerd')).toBe(value);
  });
});

describe('parseServedContainer', () => {
  it('parseServedContainer reads a shim -id and a conmon -c, and nothing for other roles', () => {
    const id = 'a'.repeat(64);
    expect(parseServedContainer('shim', ['containerd-shim-runc-v2', '-namespace', 'moby', '-id', id, '-address', '/run/containerd/containerd.sock'])).toBe(id);
    expect(parseServedContainer('conmon', ['/usr/bin/conmon', '--api-version', '1', '-c', id, '-u', id, '-n', 'web'])).toBe(id);
    expect(parseServedContainer('conmon', ['/usr/bin/conmon', `--cid=${id}`])).toBe(id);
    expect(parseServedContainer('dockerd', ['dockerd', '-id', id])).toBeNull();
    expect(parseServedContainer(null, [])).toBeNull();
  });
});

describe('roles and arguments in the runtime captures (shared/fixtures/runtimes/)', () => {
  const rolesIn = (scene: string) =>
    readRuntimeScene(scene)
      .processes.map((p) => `${p.argv[0]?.split('/').pop() ?? ''}:${p.role ?? '-'}`)
      .sort();

  it("parseRuntimeRole names every process of the rootless Docker capture, rootlesskit's /proc/self/exe child included", () => {
    expect(rolesIn('docker-rootless')).toEqual([
      'containerd-shim-runc-v2:shim',
      'containerd:containerd',
      'dockerd:dockerd',
      'exe:rootlesskit',
      'redis-server *:6379:-',
      'rootlesskit:rootlesskit',
      'sleep:-',
      'slirp4netns:-',
    ]);
  });

  it("parseRuntimeRole names Podman's API service, and a conmon per container and per exec session", () => {
    expect(rolesIn('podman')).toEqual(['conmon:conmon', 'conmon:conmon', 'podman:podman', 'redis-server *:6379:-', 'sleep:-']);
  });

  it('parseConmonArgs reads the container, its name, the storage root, and which conmon runs an exec session', () => {
    const scene = readRuntimeScene('podman');
    const { id, init, name } = scene.runtime.containers[0] ?? { id: '', init: 0, name: '' };
    const conmons = scene.processes.filter((p) => p.role === 'conmon');
    const main = conmons.find((c) => scene.processes.some((p) => p.pid === init && p.ppid === c.pid));
    const session = conmons.find((c) => c !== main);
    const root = parseFlag(scene.processes.find((p) => p.role === 'podman')?.argv ?? [], 'root');
    expect(root).toMatch(/\/root$/);
    expect(parseConmonArgs(main?.argv ?? [])).toEqual({ container: id, exec: false, name, root });
    expect(parseConmonArgs(session?.argv ?? [])).toEqual({ container: id, exec: true, name, root });
  });

  it('parseConmonArgs answers nulls for a conmon without arguments', () => {
    expect(parseConmonArgs(['conmon'])).toEqual({ container: null, exec: false, name: null, root: null });
  });

  it.each(['containerd', 'docker'])('parseShimArgs reads the namespace, id and containerd socket of every shim in the %s capture', (name) => {
    const scene = readRuntimeScene(name);
    const shims = scene.processes.filter((p) => p.role === 'shim').map((p) => parseShimArgs(p.argv));
    const listening = [...scene.listeners.keys()];
    expect(shims.map((s) => [s.id, s.namespace]).sort()).toEqual(scene.runtime.containers.map((c) => [c.id, c.namespace]).sort());
    for (const s of shims) expect(listening).toContain(s.address);
  });
});
