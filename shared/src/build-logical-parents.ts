import { parseConmonArgs, parseFlag, parseShimArgs } from './parse-runtime-role.ts';
import type { RuntimeRole } from './parse-runtime-role.ts';

/** The fields `buildLogicalParents` needs from each process. */
export interface RuntimeProcess {
  pid: number;
  ppid: number;
  argv: readonly string[];
  role: RuntimeRole | null;
  /** Real uid: a rootless Podman's conmon belongs to that user's service only. */
  uid?: number | null;
}

/**
 * Links the runtime chain that the kernel tree no longer shows. Modern shims re-execute
 * themselves so that their parent is pid 1 (they survive containerd restarts); a system
 * containerd is not dockerd's child. Returns pid → logical parent, only where it differs from
 * the kernel parent.
 *
 * `listeners` maps a listening unix socket path to the pid that owns it (from `/proc/net/unix`
 * and the fds of runtime processes): a shim's `-address` and dockerd's `--containerd` name
 * containerd's socket, which links them without guessing. With no socket information, a lone
 * containerd is taken as the parent.
 *
 * Podman has no daemon: each container's conmon re-parents itself to pid 1, and `podman exec`
 * starts one more conmon for the session. An exec conmon is linked to its container's conmon, so
 * the exec'd process sits beside the container's own, as under a shim; a container's conmon is
 * linked to the `podman system service` of the same user and storage root (the API that lists it).
 */
export function buildLogicalParents(processes: readonly RuntimeProcess[], listeners: ReadonlyMap<string, number>): Map<number, number> {
  const links = new Map<number, number>();
  // Only runtime processes are looked up (as owners and as parents): a host of thousands has few.
  const runtime = processes.filter((p) => p.role !== null);
  const byPid = new Map(runtime.map((p) => [p.pid, p]));
  const containerds = runtime.filter((p) => p.role === 'containerd');
  const soleContainerd = containerds.length === 1 ? containerds[0]?.pid : undefined;
  const containerdAt = (address: string | null): number | undefined => {
    const owner = address === null ? undefined : listeners.get(address);
    if (owner !== undefined && byPid.get(owner)?.role === 'containerd') return owner;
    return address === null || listeners.size === 0 ? soleContainerd : undefined;
  };
  for (const [child, parent] of buildConmonParents(processes)) if (byPid.get(child)?.ppid !== parent) links.set(child, parent);
  for (const p of runtime) {
    if (p.role === 'shim') {
      const parent = containerdAt(parseShimArgs(p.argv).address);
      if (parent !== undefined && parent !== p.ppid && parent !== p.pid) links.set(p.pid, parent);
    }
    if (p.role === 'dockerd') {
      // dockerd --containerd=<socket> uses a containerd it did not start.
      const child = containerdAt(parseFlag(p.argv, 'containerd'));
      const containerd = child === undefined ? undefined : byPid.get(child);
      if (containerd && containerd.ppid !== p.pid && parseFlag(p.argv, 'containerd') !== null) {
        links.set(containerd.pid, p.pid);
      }
    }
  }
  return links;
}

function buildConmonParents(processes: readonly RuntimeProcess[]): Map<number, number> {
  const links = new Map<number, number>();
  const conmons = processes.filter((p) => p.role === 'conmon').map((p) => ({ p, args: parseConmonArgs(p.argv) }));
  const services = processes.filter((p) => p.role === 'podman' && isApiService(p.argv));
  const mainOf = new Map(conmons.filter((c) => !c.args.exec && c.args.container).map((c) => [c.args.container, c.p]));
  for (const { p, args } of conmons) {
    if (args.exec) {
      const main = args.container === null ? undefined : mainOf.get(args.container);
      if (main && main.pid !== p.pid) links.set(p.pid, main.pid);
      continue;
    }
    const mine = services.filter((s) => (s.uid ?? null) === (p.uid ?? null));
    const root = args.root;
    const sameRoot = mine.filter((s) => root !== null && parseFlag(s.argv, 'root') === root);
    const service = sameRoot.length === 1 ? sameRoot[0] : mine.length === 1 && parseFlag(mine[0]?.argv ?? [], 'root') === null ? mine[0] : undefined;
    if (service && service.pid !== p.pid) links.set(p.pid, service.pid);
  }
  return links;
}

/** `podman [global flags] system service [URI]`: the long-running API, not a one-off command. */
function isApiService(argv: readonly string[]): boolean {
  const at = argv.indexOf('system');
  return at > 0 && argv[at + 1] === 'service';
}
