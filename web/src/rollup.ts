import type { TreeNode } from '@proclens/shared';
import { formatBytes } from './format.ts';

/** Totals over a subtree, shown where it is folded away. */
export interface Rollup {
  processes: number;
  cpu: number;
  rssKiB: number;
}

/** Totals over these subtrees, the roots included. Pure. */
export function rollupOf(nodes: readonly TreeNode[]): Rollup {
  const total: Rollup = { processes: 0, cpu: 0, rssKiB: 0 };
  const walk = (n: TreeNode): void => {
    total.processes++;
    total.cpu += n.process.cpu;
    total.rssKiB += n.process.rssKiB;
    n.children.forEach(walk);
  };
  nodes.forEach(walk);
  return total;
}

/** ` +12 · 0.4% · 38 MiB`: what a folded node hides. */
export function formatRollup(r: Rollup): string {
  return ` +${r.processes} · ${r.cpu.toFixed(1)}% · ${formatBytes(r.rssKiB * 1024)}`;
}
