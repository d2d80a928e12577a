import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import type { Framing } from './view-state.ts';

/** A process outside any container is framed with this many ancestors, for context. */
const HOST_CONTEXT = 2;

export interface ChainInput {
  framing: Framing;
  process: ProcessInfo | null;
  container: ContainerInfo | null;
  containers: readonly ContainerInfo[];
  byPid: ReadonlyMap<number, ProcessInfo>;
  /** Parents as drawn (runtime or kernel view). */
  parents: ReadonlyMap<number, number>;
}

/** Ancestors of a pid, nearest first. */
function ancestors(pid: number, parents: ReadonlyMap<number, number>): number[] {
  const found: number[] = [];
  for (let p = parents.get(pid); p !== undefined && !found.includes(p); p = parents.get(p)) found.push(p);
  return found;
}

/** The ancestors up to the topmost runtime daemon (dockerd; else containerd or conmon); a few when there is none. */
function runtimeAncestors(pid: number, byPid: ReadonlyMap<number, ProcessInfo>, parents: ReadonlyMap<number, number>): number[] {
  const up = ancestors(pid, parents);
  let top = -1;
  up.forEach((p, i) => {
    if (byPid.get(p)?.role) top = i;
  });
  return top >= 0 ? up.slice(0, top + 1) : up.slice(0, HOST_CONTEXT);
}

function containerChain(container: ContainerInfo, input: ChainInput): number[] {
  const chain = new Set<number>(container.pids);
  for (const pid of container.pids) for (const p of runtimeAncestors(pid, input.byPid, input.parents)) chain.add(p);
  // A container whose processes are gone still has its shim (or conmon) to show.
  for (const p of input.byPid.values())
    if (p.shimOf === container.id) for (const q of [p.pid, ...runtimeAncestors(p.pid, input.byPid, input.parents)]) chain.add(q);
  return [...chain];
}

/**
 * The pids the camera frames: a container's whole runtime chain (dockerd → containerd → shim →
 * every member), a process's chain (its container's, or its nearest ancestors), the container
 * runtime when nothing is selected, or null for everything. Pure.
 */
export function buildFrameChain(input: ChainInput): number[] | null {
  const { framing, process, container, containers, byPid, parents } = input;
  switch (framing) {
    case 'everything':
      return null;
    case 'process': {
      if (!process) return null;
      const own = process.containerId ?? process.shimOf;
      const home = own ? containers.find((c) => c.id === own) : undefined;
      if (home) return [...new Set([...containerChain(home, input), process.pid])];
      return [process.pid, ...runtimeAncestors(process.pid, byPid, parents)];
    }
    case 'container':
      return container ? containerChain(container, input) : null;
    case 'runtime': {
      // Each running container's init with its chain: what a workshop starts by looking at.
      const chain = new Set<number>();
      for (const c of containers) {
        if (c.pid === null || !byPid.has(c.pid)) continue;
        chain.add(c.pid);
        for (const p of runtimeAncestors(c.pid, byPid, parents)) chain.add(p);
      }
      for (const p of byPid.values()) if (p.role === 'dockerd' || p.role === 'containerd' || p.role === 'conmon') chain.add(p.pid);
      return chain.size > 0 ? [...chain] : null;
    }
    default:
      return assertNever(framing);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled framing ${String(value)}`);
}
