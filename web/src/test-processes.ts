import { testContainer, testProcess, testSnapshot } from '@proclens/shared/testing';
import type { ProcessInfo } from '@proclens/shared';
import { buildPlainLayoutOptions } from './layout-options.ts';
import type { LayoutOptions } from './layout-tree.ts';
import { monospaceMeasure } from './node-label.ts';

/** Like `testProcess`, with a command line, so search has something to find. */
export function proc(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return testProcess(pid, ppid, { argv: [`p${pid}`], rssKiB: 1024, ...extra });
}

export { testContainer as container, testSnapshot as snapshot };

/** A host with one container, `db`: init → dockerd → containerd, a shim re-parented to init, and db's processes. */
export const DB = 'a'.repeat(64);
export const host = [
  proc(1, 0, { name: 'init' }),
  proc(10, 1, { name: 'dockerd', role: 'dockerd' }),
  proc(11, 10, { name: 'containerd', role: 'containerd' }),
  proc(20, 1, { name: 'containerd-shim', role: 'shim', logicalParent: 11, shimOf: DB }),
  proc(21, 20, { name: 'redis-server', containerId: DB, newNamespaces: ['pid', 'net'] }),
  proc(22, 20, { name: 'sleep', containerId: DB }),
  proc(23, 20, { name: 'sleep', containerId: DB }),
  proc(24, 20, { name: 'sleep', containerId: DB }),
];
export const db = testContainer(DB, 'db', [21, 22, 23, 24]);
export const containers = new Map([[DB, db]]);

/** Layout options for tests: nothing folded, focused or pinned; every glyph 7 px wide, rows 24 px. */
export function layoutOptions(extra: Partial<LayoutOptions> = {}): LayoutOptions {
  return buildPlainLayoutOptions(containers, monospaceMeasure(7, 6), 24, extra);
}
