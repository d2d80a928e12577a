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

/**
 * The far-zoom overview, as three path strings: links, nodes, and the marked nodes (selection,
 * search matches, the highlighted container). Far out a row is a fraction of a pixel, so it is
 * drawn coarse: siblings in one column merge into one bar, and each parent's links into one
 * elbow down its children's trunk (a few thousand path segments for 20,000 processes, not 60,000).
 */
export function buildOverviewPaths(layout: TreeLayout, marked: (node: LaidOutNode) => boolean): { links: string; dots: string; marks: string } {
  const links: string[] = [];
  const marks: string[] = [];
  const half = NODE_RADIUS - 1;
  // One elbow per parent: out of its label, down (or up) its children's trunk.
  const trunks = new Map<LaidOutNode, { x: number; y0: number; y1: number }>();
  for (const { source: s, target: t } of layout.links) {
    const x = layout.mode === 'stacked' ? s.x : t.x - NODE_RADIUS - 12;
    const trunk = trunks.get(s);
    if (trunk) {
      trunk.y0 = Math.min(trunk.y0, t.y);
      trunk.y1 = Math.max(trunk.y1, t.y);
    } else trunks.set(s, { x, y0: Math.min(s.y, t.y), y1: Math.max(s.y, t.y) });
  }
  for (const [s, trunk] of trunks) {
    links.push(
      layout.mode === 'stacked' ? `M${trunk.x},${trunk.y0}V${trunk.y1}` : `M${s.x + s.labelWidth},${s.y}H${trunk.x}M${trunk.x},${trunk.y0}V${trunk.y1}`,
    );
  }
  // Nodes in one column on consecutive rows make one bar.
  const columns = new Map<number, number[]>();
  for (const n of layout.nodes) {
    if (marked(n)) {
      marks.push(`M${n.x - half},${n.y - half}h${2 * half}v${2 * half}h${-2 * half}z`);
      continue;
    }
    const ys = columns.get(n.x);
    if (ys) ys.push(n.y);
    else columns.set(n.x, [n.y]);
  }
  const dots: string[] = [];
  for (const [x, ys] of columns) {
    ys.sort((a, b) => a - b);
    let start = ys[0] as number;
    let end = start;
    const flush = (): void => void dots.push(`M${x - half},${start - half}H${x + half}V${end + half}H${x - half}z`);
    for (const y of ys.slice(1)) {
      if (y - end <= layout.rowHeight * 1.01) end = y;
      else {
        flush();
        start = end = y;
      }
    }
    flush();
  }
  return { links: links.join(''), dots: dots.join(''), marks: marks.join('') };
}
