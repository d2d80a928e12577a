import type { CgroupLine } from './parse-cgroup.ts';

/** Who created the cgroup a container id was found in. */
export type ContainerRuntime = 'docker' | 'podman' | 'containerd' | 'cri-o' | 'kubernetes';

export interface CgroupContainer {
  id: string;
  runtime: ContainerRuntime;
}

const HEX_ID = /^[0-9a-f]{64}$/;
/** systemd driver scopes; `libpod-conmon-<id>.scope` (Podman's monitor) does not match on purpose. */
const SCOPE = /^(docker|libpod|cri-containerd|crio)-([0-9a-f]{64})\.scope$/;
const SCOPE_RUNTIME: Record<string, ContainerRuntime> = {
  docker: 'docker',
  libpod: 'podman',
  'cri-containerd': 'kubernetes',
  crio: 'cri-o',
};

/**
 * Finds the container a process belongs to from its cgroup lines, for every layout in
 * FIELD-NOTES: cgroupfs (`/docker/<id>`), systemd (`docker-<id>.scope`), v1, v2 and hybrid
 * (where only the v1 lines name the container), Podman and Kubernetes. Takes the rightmost
 * container-looking segment, so Docker-in-Docker yields the innermost container.
 * Returns null for host processes.
 */
export function containerFromCgroup(lines: readonly CgroupLine[]): CgroupContainer | null {
  for (const line of lines) {
    const segments = line.path.split('/');
    for (let i = segments.length - 1; i >= 0; i--) {
      const found = containerFromSegment(segments[i] ?? '', segments.slice(0, i));
      if (found) return found;
    }
  }
  return null;
}

function containerFromSegment(segment: string, parents: string[]): CgroupContainer | null {
  const scope = SCOPE.exec(segment);
  if (scope) return { id: scope[2] ?? '', runtime: SCOPE_RUNTIME[scope[1] ?? ''] ?? 'docker' };
  if (!HEX_ID.test(segment)) return null;
  const parent = parents[parents.length - 1] ?? '';
  if (parents.some((p) => p.startsWith('kubepods'))) return { id: segment, runtime: 'kubernetes' };
  if (parent === 'docker') return { id: segment, runtime: 'docker' };
  if (parent === 'libpod_parent' || parent.startsWith('libpod')) return { id: segment, runtime: 'podman' };
  return { id: segment, runtime: 'containerd' };
}
