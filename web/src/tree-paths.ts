import type { LaidOutLink, LaidOutNode, TreeLayout } from './layout-tree.ts';

/** Circle radius of a node, in tree units. */
export const NODE_RADIUS = 6;

/**
 * A link as pstree draws it: out of the parent's label end (wide) or down from under its circle
 * (stacked), along a shared trunk, then into the child. Elbows, not curves: cheap to draw.
 */
export function buildLinkPath(link: LaidOutLink, mode: TreeLayout['mode']): string {
  const { source: s, target: t } = link;
  const end = t.x - NODE_RADIUS - 2;
  if (mode === 'stacked') return `M${s.x},${s.y + NODE_RADIUS + 1}V${t.y}H${end}`;
  const start = s.x + s.labelWidth + 2;
  if (t.y === s.y) return `M${start},${s.y}H${end}`;
  const trunk = Math.max(start, t.x - NODE_RADIUS - 12);
  return `M${start},${s.y}H${trunk}V${t.y}H${end}`;
}

/** Every link and every node of a layout as two path strings: the far-zoom overview. */
export function buildOverviewPaths(layout: TreeLayout, marked: (node: LaidOutNode) => boolean): { links: string; dots: string; marks: string } {
  const links: string[] = [];
  const dots: string[] = [];
  const marks: string[] = [];
  for (const link of layout.links) links.push(buildLinkPath(link, layout.mode));
  for (const n of layout.nodes) (marked(n) ? marks : dots).push(`M${n.x - 5},${n.y - 5}h10v10h-10z`);
  return { links: links.join(''), dots: dots.join(''), marks: marks.join('') };
}
