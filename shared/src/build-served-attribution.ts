import { containerFromCgroup } from './container-from-cgroup.ts';
import type { CgroupLine } from './parse-cgroup.ts';
import { parseConmonArgs, parseServedContainer } from './parse-runtime-role.ts';
import type { RuntimeRole } from './parse-runtime-role.ts';

/** The fields the served-attribution step needs from each process. */
export interface ServedProcess {
  pid: number;
  ppid: number;
  argv: readonly string[];
  role: RuntimeRole | null;
  containerId: string | null;
}

/** Runtime processes that may sit inside a container: everything else with a role is a boundary. */
const INSIDE_ROLES: ReadonlySet<RuntimeRole | null> = new Set([null, 'docker-init']);

/**
 * Every process below a shim or a container's conmon (its descendants, not crossing another
 * runtime process) that the cgroup rules left unattributed, with the pid and container of the
 * runtime process it is below. Exec'd processes count: they are children of the shim, or of an
 * exec session's conmon (which serves the same container).
 */
function buildServedBy(processes: readonly ServedProcess[]): Map<number, { runtime: number; id: string }> {
  const children = new Map<number, ServedProcess[]>();
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const servedBy = new Map<number, { runtime: number; id: string }>();
  for (const runtime of processes) {
    if (runtime.role !== 'shim' && runtime.role !== 'conmon') continue;
    const id = parseServedContainer(runtime.role, runtime.argv);
    if (id === null || id === '') continue;
    const queue = [...(children.get(runtime.pid) ?? [])];
    for (let p = queue.pop(); p !== undefined; p = queue.pop()) {
      if (!INSIDE_ROLES.has(p.role)) continue;
      if (p.containerId === null) servedBy.set(p.pid, { runtime: runtime.pid, id });
      queue.push(...(children.get(p.pid) ?? []));
    }
  }
  return servedBy;
}

/**
 * The pids whose cgroup `buildServedAttribution` needs: processes below a shim or conmon that no
 * cgroup rule attributed (a non-hex containerd id, or a rootless container without a cgroup of
 * its own), and the shims and conmons above them. Usually none: Docker's and Podman's ids are hex.
 */
export function buildServedQuery(processes: readonly ServedProcess[]): number[] {
  const pids = new Set<number>();
  for (const [pid, { runtime }] of buildServedBy(processes)) pids.add(pid).add(runtime);
  return [...pids].sort((a, b) => a - b);
}

/**
 * Attributes what the cgroup rules alone could not, given the cgroups `buildServedQuery` asked for
 * (a pid missing from `cgroups` has exited and is skipped):
 * - a cgroup whose last segment is an id a shim serves: containerd takes any name
 *   (`/k8s.io/web`, `/kubepods/besteffort/pod<uid>/redis-0`);
 * - a process in the very cgroup of the shim or conmon above it: the container has no cgroup of
 *   its own (rootless Docker or Podman on cgroup v1, where `docker top` fails for that reason), so
 *   the runtime process it is below is all there is to go by.
 * Returns pid → container id for the processes it attributes. Pure.
 */
export function buildServedAttribution(processes: readonly ServedProcess[], cgroups: ReadonlyMap<number, readonly CgroupLine[]>): Map<number, string> {
  const knownIds = new Set<string>();
  for (const p of processes) {
    if (p.role === 'shim') knownIds.add(parseServedContainer('shim', p.argv) ?? '');
    if (p.role === 'conmon' && !parseConmonArgs(p.argv).exec) knownIds.add(parseConmonArgs(p.argv).container ?? '');
  }
  knownIds.delete('');
  const attributed = new Map<number, string>();
  for (const [pid, { runtime, id }] of buildServedBy(processes)) {
    const lines = cgroups.get(pid);
    const runtimeLines = cgroups.get(runtime);
    if (!lines) continue;
    const found = containerFromCgroup(lines, knownIds);
    if (found) attributed.set(pid, found.id);
    else if (runtimeLines && sameCgroup(lines, runtimeLines)) attributed.set(pid, id);
  }
  return attributed;
}

function sameCgroup(a: readonly CgroupLine[], b: readonly CgroupLine[]): boolean {
  const key = (lines: readonly CgroupLine[]) => lines.map((l) => `${l.hierarchy}:${l.controllers.join(',')}:${l.path}`).join('\n');
  return a.length > 0 && key(a) === key(b);
}
