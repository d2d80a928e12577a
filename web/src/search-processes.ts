import type { ContainerInfo, ProcessInfo } from '@proclens/shared';

export type SearchResult = { pids: number[]; error: string | null };

/** How well a process matches, best first: its container's name, its exact name, part of its name, its command line. */
const RANK = { containerExact: 0, containerPart: 1, nameExact: 2, namePart: 3, commandLine: 4 } as const;

/**
 * pgrep-like search, best matches first. A number matches that pid; `/regex/` matches name or
 * command line; any other text matches, ignoring case, the container's name, the name, or the
 * command line, ranked in that order (so `db` finds the container db before every process whose
 * command line happens to contain "db"), a container's init first. Kernel threads match only when shown. Pure.
 */
export function searchProcesses(
  processes: readonly ProcessInfo[],
  containers: ReadonlyMap<string, ContainerInfo>,
  query: string,
  includeKernelThreads: boolean,
): SearchResult {
  const q = query.trim();
  if (q === '') return { pids: [], error: null };
  const pool = processes.filter((p) => includeKernelThreads || !p.kernelThread);
  if (/^\d+$/.test(q)) return { pids: pool.filter((p) => p.pid === Number(q)).map((p) => p.pid), error: null };
  let rank: (p: ProcessInfo) => number | null;
  const regex = /^\/(.+)\/([i]*)$/.exec(q);
  if (regex) {
    let re: RegExp;
    try {
      re = new RegExp(regex[1] ?? '', regex[2]);
    } catch (err) {
      return { pids: [], error: err instanceof Error ? err.message : 'bad pattern' };
    }
    rank = (p) => (re.test(p.name) ? RANK.nameExact : re.test(p.argv.join(' ')) ? RANK.commandLine : null);
  } else {
    const needle = q.toLowerCase();
    rank = (p) => {
      const container = p.containerId ? containers.get(p.containerId)?.name.toLowerCase() : undefined;
      const name = p.name.toLowerCase();
      if (container === needle) return RANK.containerExact;
      if (container?.includes(needle)) return RANK.containerPart;
      if (name === needle) return RANK.nameExact;
      if (name.includes(needle)) return RANK.namePart;
      return p.argv.join(' ').toLowerCase().includes(needle) ? RANK.commandLine : null;
    };
  }
  // Within a rank, a container's init comes before its other processes (an exec'd one may hold a
  // lower pid once pids wrap): Enter on `db` goes to redis-server, not to a sleep beside it.
  const ranked: Array<[number, number, number]> = [];
  for (const p of pool) {
    const r = rank(p);
    const init = p.containerId !== null && containers.get(p.containerId)?.pid === p.pid;
    if (r !== null) ranked.push([r, init ? 0 : 1, p.pid]);
  }
  ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return { pids: ranked.map(([, , pid]) => pid), error: null };
}
