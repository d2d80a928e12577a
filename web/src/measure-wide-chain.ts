import type { TreeNode } from '@proclens/shared';
import type { LayoutOptions } from './layout-options.ts';
import { buildNodeLabel, measureNodeLabel } from './node-label.ts';

/** Gap between a parent's label and its children in the wide layout, as layoutTree uses it. */
export function wideGap(rowHeight: number): number {
  return Math.round(rowHeight * 1.1);
}

/**
 * How wide a chain would be drawn in the wide layout, and how many levels it spans, without laying
 * out the whole tree: in that layout a node's x is the sum of its ancestors' label widths and gaps,
 * so only the chain and its ancestors need measuring. Decides wide or stacked in one layout pass on
 * a 20,000-process host. Pure.
 */
export function measureWideChain(
  chain: readonly number[],
  nodes: ReadonlyMap<number, TreeNode>,
  parents: ReadonlyMap<number, number>,
  options: Pick<LayoutOptions, 'containers' | 'measure' | 'rowHeight' | 'departing'>,
): { width: number; levels: number } | null {
  const widths = new Map<number, number>();
  const widthOf = (pid: number): number => {
    let w = widths.get(pid);
    if (w === undefined) {
      const node = nodes.get(pid);
      const label = node ? buildNodeLabel(node.process, options.containers, node.logical, null, options.departing.has(pid)) : null;
      // Rounded up as layoutTree rounds every label.
      w = label ? Math.ceil(measureNodeLabel(label, null, options.measure).oneLine / 8) * 8 : 0;
      widths.set(pid, w);
    }
    return w;
  };
  const gap = wideGap(options.rowHeight);
  let x0 = Infinity;
  let x1 = -Infinity;
  let minDepth = Infinity;
  let maxDepth = -Infinity;
  for (const pid of chain) {
    if (!nodes.has(pid)) continue;
    let x = 0;
    let depth = 0;
    for (let p = parents.get(pid); p !== undefined && depth < 10_000; p = parents.get(p), depth++) x += widthOf(p) + gap;
    x0 = Math.min(x0, x - options.rowHeight / 2);
    x1 = Math.max(x1, x + widthOf(pid));
    minDepth = Math.min(minDepth, depth);
    maxDepth = Math.max(maxDepth, depth);
  }
  return Number.isFinite(x0) ? { width: x1 - x0, levels: maxDepth - minDepth + 1 } : null;
}
