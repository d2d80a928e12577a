import { hierarchy, tree } from 'd3-hierarchy';
import type { ProcessInfo, TreeNode } from '@proclens/shared';

/** Vertical distance between sibling rows and horizontal distance between generations, in px. */
export const ROW_HEIGHT = 26;
export const COLUMN_WIDTH = 230;

export interface LaidOutNode {
  process: ProcessInfo;
  x: number;
  y: number;
  /** Processes hidden under this node because it is collapsed. */
  hiddenDescendants: number;
  childCount: number;
  /** The link to its parent is a runtime (logical) link, not the kernel's. */
  logical: boolean;
  parentPid: number | null;
}

export interface LaidOutLink {
  source: LaidOutNode;
  target: LaidOutNode;
  logical: boolean;
}

export interface TreeLayout {
  nodes: LaidOutNode[];
  links: LaidOutLink[];
  bounds: { minX: number; maxX: number; minY: number; maxY: number };
}

type Item = { node: TreeNode | null; children: Item[] };

function countDescendants(node: TreeNode): number {
  return node.children.reduce((n, child) => n + 1 + countDescendants(child), 0);
}

/** Lays out the forest left to right with d3's tidy tree; collapsed nodes hide their subtrees. Pure. */
export function layoutTree(roots: readonly TreeNode[], collapsed: ReadonlySet<number>): TreeLayout {
  const toItem = (node: TreeNode): Item => ({
    node,
    children: collapsed.has(node.process.pid) ? [] : node.children.map(toItem),
  });
  // A virtual root joins the forest (pid 1, kthreadd, and any orphans) into one tree.
  const root = hierarchy<Item>({ node: null, children: roots.map(toItem) }, (d) => d.children);
  tree<Item>().nodeSize([ROW_HEIGHT, COLUMN_WIDTH])(root);
  const nodes: LaidOutNode[] = [];
  const byItem = new Map<Item, LaidOutNode>();
  const links: LaidOutLink[] = [];
  const bounds = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  root.each((d) => {
    const source = d.data.node;
    if (!source) return;
    const laid: LaidOutNode = {
      process: source.process,
      // d3 lays trees out top-down: swap axes for a left-to-right tree.
      x: (d.depth - 1) * COLUMN_WIDTH,
      y: d.x ?? 0,
      hiddenDescendants: collapsed.has(source.process.pid) ? countDescendants(source) : 0,
      childCount: source.children.length,
      logical: source.logical,
      parentPid: d.parent?.data.node?.process.pid ?? null,
    };
    byItem.set(d.data, laid);
    nodes.push(laid);
    bounds.minX = Math.min(bounds.minX, laid.x);
    bounds.maxX = Math.max(bounds.maxX, laid.x);
    bounds.minY = Math.min(bounds.minY, laid.y);
    bounds.maxY = Math.max(bounds.maxY, laid.y);
    const parent = d.parent ? byItem.get(d.parent.data) : undefined;
    if (parent) links.push({ source: parent, target: laid, logical: source.logical });
  });
  if (nodes.length === 0) Object.assign(bounds, { minX: 0, maxX: 0, minY: 0, maxY: 0 });
  return { nodes, links, bounds };
}
