import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/read-fixture.js';
import { containerFromCgroup } from './container-from-cgroup.ts';
import { parseCgroup } from './parse-cgroup.ts';
import { readRuntimeScene } from './read-runtime-scene.ts';

/** The id in the transcribed examples of shared/fixtures/cgroup/ (FIELD-NOTES's `e05a4d92…`, completed). */
const ID = 'e05a4d92b7c3f1e8a9d0c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5';
const OTHER = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const fromText = (text: string) => containerFromCgroup(parseCgroup(text));

describe('containerFromCgroup', () => {
  // Every layout in FIELD-NOTES "Attributing a process to a container", transcribed.
  it.each([
    { file: 'v1-cgroupfs.txt', runtime: 'docker' },
    { file: 'v1-systemd.txt', runtime: 'docker' },
    { file: 'v2-systemd.txt', runtime: 'docker' },
    { file: 'v2-cgroupfs.txt', runtime: 'docker' },
    { file: 'hybrid.txt', runtime: 'docker' },
    { file: 'podman-rootless.txt', runtime: 'podman' },
    { file: 'podman-systemd.txt', runtime: 'podman' },
    { file: 'kubernetes-cgroupfs.txt', runtime: 'kubernetes' },
    { file: 'kubernetes-systemd-containerd.txt', runtime: 'kubernetes' },
    { file: 'kubernetes-systemd-crio.txt', runtime: 'cri-o' },
  ])('containerFromCgroup finds the container in the $file example', ({ file, runtime }) => {
    expect(fromText(readFixture(`cgroup/${file}`))).toEqual({ id: ID, runtime });
  });

  it("containerFromCgroup skips Podman's monitor scope, libpod-conmon-<id>.scope", () => {
    expect(fromText(readFixture('cgroup/podman-conmon.txt'))).toBeNull();
  });

  it('containerFromCgroup reads the v1 lines of a hybrid host whatever order the lines come in', () => {
    // The pitfall: the v2 line names containerd.service, only the v1 lines name the container.
    const lines = readFixture('cgroup/hybrid.txt').trim().split('\n');
    expect(fromText(lines.reverse().join('\n'))).toEqual({ id: ID, runtime: 'docker' });
  });

  it('containerFromCgroup answers the innermost container under Docker-in-Docker', () => {
    expect(fromText(`4:memory:/docker/${OTHER}/docker/${ID}\n0::/\n`)).toEqual({ id: ID, runtime: 'docker' });
    expect(fromText(`0::/system.slice/docker-${OTHER}.scope/docker/${ID}\n`)).toEqual({ id: ID, runtime: 'docker' });
  });

  it('containerFromCgroup finds the container on a full multi-line cgroup v1 file', () => {
    const text = [
      '12:pids:/docker/' + ID,
      '11:memory:/docker/' + ID,
      '2:cpu,cpuacct:/docker/' + ID,
      '1:name=systemd:/docker/' + ID,
      '0::/system.slice/containerd.service',
    ].join('\n');
    expect(fromText(text)).toEqual({ id: ID, runtime: 'docker' });
  });

  it.each(['sleep', 'comm-parens', 'zombie', 'kthreadd', 'kernel-thread', 'pid1', 'redis-server'])(
    'containerFromCgroup answers null for the host process in the %s capture',
    (name) => {
      expect(fromText(readFixture(`proc/${name}/cgroup`))).toBeNull();
    },
  );

  it.each([
    ['the root cgroup', '0::/\n'],
    ['a systemd service', '0::/system.slice/containerd.service\n'],
    ['a user session', '0::/user.slice/user-1000.slice/session-3.scope\n'],
    ['a 32-hex segment, not a container id', '4:memory:/process_api/b3f10b8e6122c7f74fc24bed0c4f5899\n'],
    ['a Kubernetes pod cgroup without a container', '0::/kubepods/besteffort/pod0f3c2b1a-7d4e-4c5b-9a8f-1e2d3c4b5a69\n'],
    ['an upper-case id', `0::/docker/${ID.toUpperCase()}\n`],
    ['no lines at all', ''],
  ])('containerFromCgroup answers null for %s', (_label, text) => {
    expect(fromText(text)).toBeNull();
  });

  describe('over real captures (shared/fixtures/runtimes/)', () => {
    const cgroupOf = (scene: string, pid: number) => readRuntimeScene(scene).cgroups.get(pid) ?? [];
    const first = (scene: string) => readRuntimeScene(scene).runtime.containers[0] ?? { id: '', init: 0 };

    it("containerFromCgroup reads rootful Docker's /docker/<id> on every line of this hybrid host", () => {
      const { id, init } = first('docker');
      expect(containerFromCgroup(cgroupOf('docker', init))).toEqual({ id, runtime: 'docker' });
    });

    it("containerFromCgroup reads Podman's cgroupfs layout /libpod_parent/libpod-<id>", () => {
      const { id, init } = first('podman');
      expect(cgroupOf('podman', init).at(-1)?.path).toBe(`/libpod_parent/libpod-${id}`);
      expect(containerFromCgroup(cgroupOf('podman', init))).toEqual({ id, runtime: 'podman' });
    });

    it("containerFromCgroup leaves conmon's own /libpod_parent/conmon and the API service alone", () => {
      const scene = readRuntimeScene('podman');
      const runtime = scene.processes.filter((p) => p.role === 'conmon' || p.role === 'podman');
      expect(runtime).toHaveLength(3);
      for (const p of runtime) expect(containerFromCgroup(scene.cgroups.get(p.pid) ?? [])).toBeNull();
      const conmon = runtime.find((p) => p.role === 'conmon');
      expect(scene.cgroups.get(conmon?.pid ?? 0)?.find((l) => l.controllers.includes('pids'))?.path).toBe('/libpod_parent/conmon');
    });

    it("containerFromCgroup reads ctr's non-hex ids only when a shim serves them: /kubepods/…/pod<uid>/redis-0 and /lab/web", () => {
      const scene = readRuntimeScene('containerd');
      const known = new Set(scene.runtime.containers.map((c) => c.id));
      const [redis, web] = scene.runtime.containers;
      expect(containerFromCgroup(scene.cgroups.get(redis?.init ?? 0) ?? [], known)).toEqual({ id: 'redis-0', runtime: 'kubernetes' });
      expect(containerFromCgroup(scene.cgroups.get(web?.init ?? 0) ?? [], known)).toEqual({ id: 'web', runtime: 'containerd' });
      // Without the shims' word, a name like `web` is no container id.
      expect(containerFromCgroup(scene.cgroups.get(web?.init ?? 0) ?? [])).toBeNull();
      // A known id counts as the leaf only: `lab` and `kubepods` are parents.
      expect(containerFromCgroup(parseCgroup('0::/lab/web/child\n'), known)).toBeNull();
    });

    it.each(['docker-rootless', 'podman-rootless'])(
      'containerFromCgroup finds nothing for %s on cgroup v1: the container has no cgroup of its own',
      (scene) => {
        const { init } = first(scene);
        expect(cgroupOf(scene, init).every((l) => l.path === '/' || l.path.startsWith('/process_api/'))).toBe(true);
        expect(containerFromCgroup(cgroupOf(scene, init))).toBeNull();
      },
    );
  });
});
