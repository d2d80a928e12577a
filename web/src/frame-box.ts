import type { LaidOutNode, TreeLayout } from './layout-tree.ts';

export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Where a node draws, its circle and every line of its label included, in tree units. */
export function nodeBox(node: LaidOutNode, rowHeight: number): Box {
  return { x0: node.x - rowHeight / 2, x1: node.x + node.labelWidth, y0: node.y - rowHeight / 2, y1: node.y + rowHeight * (node.lines - 0.5) };
}

/** The box around the nodes that draw these pids (everything for null); null when none is drawn. Pure. */
export function buildFrameBox(layout: TreeLayout, pids: readonly number[] | null): Box | null {
  if (pids === null) {
    const b = layout.bounds;
    return layout.nodes.length ? { x0: b.minX, x1: b.maxX, y0: b.minY, y1: b.maxY } : null;
  }
  let box: Box | null = null;
  for (const pid of pids) {
    const node = layout.byPid.get(pid);
    if (!node) continue;
    const b = nodeBox(node, layout.rowHeight);
    box = box ? { x0: Math.min(box.x0, b.x0), x1: Math.max(box.x1, b.x1), y0: Math.min(box.y0, b.y0), y1: Math.max(box.y1, b.y1) } : b;
  }
  return box;
}

/** Room kept between a framed chain and the edges of the tree's area, in CSS px. */
export const FRAME_MARGIN = 20;

export interface Transform {
  x: number;
  y: number;
  k: number;
}

/**
 * The pan and zoom that show a box whole in a `width` × `height` area, centred, no smaller than
 * `minScale` (labels stay readable) nor bigger than `maxScale`; a box too big at `minScale` is
 * shown from its top left corner, where the chain starts. Pure.
 */
export function buildFrameTransform(box: Box, width: number, height: number, minScale: number, maxScale: number): Transform {
  const w = Math.max(1, width - 2 * FRAME_MARGIN);
  const h = Math.max(1, height - 2 * FRAME_MARGIN);
  const bw = Math.max(1, box.x1 - box.x0);
  const bh = Math.max(1, box.y1 - box.y0);
  const k = Math.max(minScale, Math.min(maxScale, w / bw, h / bh));
  const x = bw * k <= w ? FRAME_MARGIN + (w - bw * k) / 2 - box.x0 * k : FRAME_MARGIN - box.x0 * k;
  const y = bh * k <= h ? FRAME_MARGIN + (h - bh * k) / 2 - box.y0 * k : FRAME_MARGIN - box.y0 * k;
  return { x, y, k };
}

/** Whether the box, moved by `t`, is wholly inside the area. */
export function isFramed(box: Box, t: Transform, width: number, height: number): boolean {
  const slack = 1;
  return box.x0 * t.k + t.x >= -slack && box.x1 * t.k + t.x <= width + slack && box.y0 * t.k + t.y >= -slack && box.y1 * t.k + t.y <= height + slack;
}

/** Within a pixel and a hundredth of a zoom step of each other. */
export function sameTransform(a: Transform, b: Transform): boolean {
  return Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1 && Math.abs(a.k - b.k) < 0.01;
}
