import type { ContainerInfo, EngineKind, ProcessInfo } from './model.ts';
import { parseConmonArgs, parseShimArgs } from './parse-runtime-role.ts';

/** How long a connected engine may take to list a container its shim already serves. */
export const ENGINE_LAG_MS = 10_000;

interface Found {
  runtime: ProcessInfo;
  engine: EngineKind;
  namespace: string | null;
  name: string;
}

/**
 * The containers that `/proc` shows and no engine's API listed: one per container a shim or a
 * Podman conmon serves, and one per other container among a shim's children (under Kubernetes a
 * pod's shim serves the sandbox and runs the pod's other containers too). What is known comes from
 * the runtime process's arguments and the container's processes alone: the engine (a conmon is
 * Podman's; a shim in containerd's `moby` namespace is Docker's, any other is containerd's), the
 * namespace (`-namespace`), the name (conmon's `-n`; a shim knows only the id, so a 64-hex id is
 * shortened to 12 as `docker ps` does), the init (the child
 * that is pid 1 in its own pid namespace) and its command line. No image, no labels: the page says
 * so (`source: 'proc'`). `pids` are left empty for `attachContainerPids`. Pure.
 *
 * While the engine that would own a container is connected, its own list is the truth and lags
 * `/proc` by a moment at each end: a shim is up before `docker run` lists the container, and
 * lingers after `docker rm` dropped it. Such a container is left out while its shim is younger
 * than `ENGINE_LAG_MS` or once nothing runs in it, so the page never shows a nameless twin of a
 * container being born or removed. `connected` holds the engines whose API answers; `now` is the
 * snapshot's time.
 */
export function buildProcContainers(
  processes: readonly ProcessInfo[],
  listedIds: ReadonlySet<string>,
  connected: ReadonlySet<EngineKind> = new Set(),
  now = 0,
): ContainerInfo[] {
  const found = new Map<string, Found>();
  const childrenOf = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    const list = childrenOf.get(p.ppid);
    if (list) list.push(p);
    else childrenOf.set(p.ppid, [p]);
  }
  for (const runtime of processes) {
    const served = describeRuntime(runtime);
    if (!served) continue;
    const ids = [served.id, ...(childrenOf.get(runtime.pid) ?? []).map((c) => c.containerId)];
    for (const id of ids) {
      if (id === null || listedIds.has(id) || found.has(id)) continue;
      found.set(id, { runtime, engine: served.engine, namespace: served.namespace, name: id === served.id ? served.name : shortName(id) });
    }
  }
  const containers: ContainerInfo[] = [];
  for (const [id, f] of found) {
    const init = findInit(childrenOf.get(f.runtime.pid) ?? [], id);
    if (connected.has(f.engine) && (!init || now - f.runtime.startedAt < ENGINE_LAG_MS)) continue;
    containers.push({
      id,
      engine: f.engine,
      namespace: f.namespace,
      source: 'proc',
      exitCode: null,
      name: f.name,
      image: '',
      state: init ? 'running' : 'stopped',
      status: init ? 'running (seen in /proc)' : 'no process left (seen in /proc)',
      command: init ? init.argv.join(' ').trim() || init.name : '',
      created: init?.startedAt ?? f.runtime.startedAt,
      pid: init?.pid ?? null,
      pids: [],
      labels: {},
    });
  }
  return containers.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function shortName(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

/** What a shim or a container's (not an exec session's) conmon says it serves. */
function describeRuntime(p: ProcessInfo): { id: string; engine: EngineKind; namespace: string | null; name: string } | null {
  if (p.role === 'shim') {
    const { id, namespace } = parseShimArgs(p.argv);
    if (!id) return null;
    // A 64-hex id is named by its first 12 characters, as `docker ps` and `crictl ps` show it.
    return { id, engine: namespace === 'moby' ? 'docker' : 'containerd', namespace, name: shortName(id) };
  }
  if (p.role === 'conmon') {
    const args = parseConmonArgs(p.argv);
    if (!args.container || args.exec) return null;
    return { id: args.container, engine: 'podman', namespace: null, name: args.name ?? args.container };
  }
  return null;
}

/** The container's first process: pid 1 of its own pid namespace, else the oldest child in it. */
function findInit(children: readonly ProcessInfo[], id: string): ProcessInfo | null {
  const mine = children.filter((c) => c.containerId === id);
  const pidOne = mine.find((c) => c.nspid.length > 1 && c.nspid[c.nspid.length - 1] === 1);
  return pidOne ?? [...mine].sort((a, b) => a.startTime - b.startTime)[0] ?? null;
}
