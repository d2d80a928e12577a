import { testContainer, testProcess, testSnapshot } from '@proclens/shared/testing';
import type { ProcessInfo } from '@proclens/shared';

/** Like `testProcess`, with a command line, so search has something to find. */
export function proc(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return testProcess(pid, ppid, { argv: [`p${pid}`], rssKiB: 1024, ...extra });
}

export { testContainer as container, testSnapshot as snapshot };
