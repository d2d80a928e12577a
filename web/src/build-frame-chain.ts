import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import type { Framing } from './view-state.ts';

/** A process outside any container is framed with this many ancestors, for context. */
const HOST_CONTEXT = 2;

export interface ChainInput {
  framing: Framing;
  process: ProcessInfo | null;
  container: ContainerInfo | null;
  containers: readonly ContainerInfo[];
  /** Every drawn process: the live ones and those fading out. */
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
  // Its processes that are fading out, and its shim (or conmon): a stopped container stays framed while it goes.
  for (const p of input.byPid.values()) if (p.containerId === container.id || p.shimOf === container.id) chain.add(p.pid);
  for (const pid of [...chain]) for (const p of runtimeAncestors(pid, input.byPid, input.parents)) chain.add(p);
  return [...chain].filter((pid) => input.byPid.has(pid));
}

/** Each running container's init with its chain, and the runtime daemons: what a workshop starts by looking at. */
function runtimeChain(input: ChainInput): number[] | null {
  const { containers, byPid, parents } = input;
  const chain = new Set<number>();
  for (const c of containers) {
    if (c.pid === null || !byPid.has(c.pid)) continue;
    chain.add(c.pid);
    for (const p of runtimeAncestors(c.pid, byPid, parents)) chain.add(p);
  }
  for (const p of byPid.values()) if (p.role === 'dockerd' || p.role === 'containerd' || p.role === 'conmon') chain.add(p.pid);
  return chain.size > 0 ? [...chain] : null;
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
      // A process that has gone: its container, else the runtime, rather than nothing.
      if (!process) return container ? buildFrameChain({ ...input, framing: 'container' }) : runtimeChain(input);
      const own = process.containerId ?? process.shimOf;
      const home = own ? containers.find((c) => c.id === own) : undefined;
      if (home) return [...new Set([...containerChain(home, input), process.pid])];
      return [process.pid, ...runtimeAncestors(process.pid, byPid, parents)];
    }
    case 'container': {
      const chain = container ? containerChain(container, input) : [];
      return chain.length > 0 ? chain : runtimeChain(input);
    }
    case 'runtime':
      return runtimeChain(input);
    default:
      return assertNever(framing);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled framing ${String(value)}`);
}
