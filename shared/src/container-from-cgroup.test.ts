import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/read-fixture.js';
import { containerFromCgroup } from './container-from-cgroup.ts';
import { parseCgroup } from './parse-cgroup.ts';

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
});
