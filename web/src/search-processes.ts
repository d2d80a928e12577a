import type { ContainerInfo, ProcessInfo } from '@proclens/shared';

export type SearchResult = { pids: number[]; error: string | null };

/**
 * pgrep-like search. A number matches that pid; `/regex/` matches name or command line; any
 * other text matches, ignoring case, the name, the command line, or the container's name.
 * Kernel threads match only when shown. Pure.
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
  let test: (text: string) => boolean;
  const regex = /^\/(.+)\/([i]*)$/.exec(q);
  if (regex) {
    try {
      const re = new RegExp(regex[1] ?? '', regex[2]);
      test = (text) => re.test(text);
    } catch (err) {
      return { pids: [], error: err instanceof Error ? err.message : 'bad pattern' };
    }
  } else {
    const needle = q.toLowerCase();
    test = (text) => text.toLowerCase().includes(needle);
  }
  const pids = pool
    .filter((p) => {
      const container = p.containerId ? containers.get(p.containerId)?.name : undefined;
      return test(p.name) || test(p.argv.join(' ')) || (container !== undefined && !regex && test(container));
    })
    .map((p) => p.pid);
  return { pids, error: null };
}
