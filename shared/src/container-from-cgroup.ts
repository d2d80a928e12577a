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
/** Podman's cgroupfs manager: `/libpod_parent/libpod-<id>` (conmon itself sits in `/libpod_parent/conmon`). */
const LIBPOD = /^libpod-([0-9a-f]{64})$/;
const SCOPE_RUNTIME: Record<string, ContainerRuntime> = {
  docker: 'docker',
  libpod: 'podman',
  'cri-containerd': 'kubernetes',
  crio: 'cri-o',
};

/**
 * Finds the container a process belongs to from its cgroup lines, for every layout in
 * FIELD-NOTES: cgroupfs (`/docker/<id>`), systemd (`docker-<id>.scope`), v1, v2 and hybrid
 * (where only the v1 lines name the container), Podman (`/libpod_parent/libpod-<id>`,
 * `libpod-<id>.scope`) and Kubernetes. Takes the rightmost container-looking segment, so
 * Docker-in-Docker yields the innermost container. Returns null for host processes.
 *
 * `knownIds` are ids that shims serve (`-id`): containerd takes any name (`ctr run … web` lives in
 * `/<namespace>/web`, `ctr run --cgroup kubepods/…/pod<uid>/redis-0` in that path), so a
 * non-hex id counts only when a shim names it, and only as the last segment of a path (a
 * container's cgroup is a leaf; a parent such as `/kubepods` never is).
 */
export function containerFromCgroup(lines: readonly CgroupLine[], knownIds: ReadonlySet<string> = NO_IDS): CgroupContainer | null {
  for (const line of lines) {
    const segments = line.path.split('/');
    const last = segments[segments.length - 1] ?? '';
    if (knownIds.has(last) && last !== '') return { id: last, runtime: runtimeUnder(segments.slice(0, -1), 'containerd') };
    for (let i = segments.length - 1; i >= 0; i--) {
      const found = containerFromSegment(segments[i] ?? '', segments.slice(0, i));
      if (found) return found;
    }
  }
  return null;
}

const NO_IDS: ReadonlySet<string> = new Set();

function runtimeUnder(parents: readonly string[], otherwise: ContainerRuntime): ContainerRuntime {
  return parents.some((p) => p.startsWith('kubepods')) ? 'kubernetes' : otherwise;
}

function containerFromSegment(segment: string, parents: string[]): CgroupContainer | null {
  const scope = SCOPE.exec(segment);
  if (scope) return { id: scope[2] ?? '', runtime: SCOPE_RUNTIME[scope[1] ?? ''] ?? 'docker' };
  const libpod = LIBPOD.exec(segment);
  if (libpod) return { id: libpod[1] ?? '', runtime: 'podman' };
  if (!HEX_ID.test(segment)) return null;
  const parent = parents[parents.length - 1] ?? '';
  if (parents.some((p) => p.startsWith('kubepods'))) return { id: segment, runtime: 'kubernetes' };
  if (parent === 'docker') return { id: segment, runtime: 'docker' };
  if (parent === 'libpod_parent' || parent.startsWith('libpod')) return { id: segment, runtime: 'podman' };
  return { id: segment, runtime: 'containerd' };
}
