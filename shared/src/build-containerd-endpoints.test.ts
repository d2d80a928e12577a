import { describe, expect, it } from 'vitest';
import { buildContainerdEndpoints } from './build-containerd-endpoints.ts';
import { testProcess } from './testing.ts';

const shim = (pid: number, namespace: string, address: string, logicalParent: number | null) =>
  testProcess(pid, 1, { role: 'shim', logicalParent, argv: ['containerd-shim-runc-v2', '-namespace', namespace, '-id', `c${pid}`, '-address', address] });

describe('buildContainerdEndpoints', () => {
  it("buildContainerdEndpoints asks each containerd its shims name once, leaving Docker's moby namespace to Docker's API", () => {
    const processes = [
      testProcess(10, 1, { role: 'containerd' }),
      shim(20, 'k8s.io', '/run/k.sock', 10),
      shim(21, 'lab', '/run/k.sock', 10),
      shim(22, 'moby', '/run/docker/c.sock', 11),
    ];
    expect(buildContainerdEndpoints(processes)).toEqual([{ address: '/run/k.sock', pid: 10 }]);
  });

  it('buildContainerdEndpoints keeps the socket of a containerd that stopped while its shims run on, with no pid', () => {
    expect(buildContainerdEndpoints([shim(20, 'k8s.io', '/run/k.sock', null)])).toEqual([{ address: '/run/k.sock', pid: null }]);
  });
});
