import { hierarchy, tree } from 'd3-hierarchy';
import type { ContainerInfo, ProcessInfo, TreeNode } from '@proclens/shared';
import { buildNodeLabel, measureNodeLabel } from './node-label.ts';
import type { NodeLabel } from './node-label.ts';

/** Vertical distance between sibling rows and horizontal distance between generations, in px. */
export const ROW_HEIGHT = 26;
/** Columns are as wide as their widest label, within these bounds. */
const MIN_COLUMN = 110;
const MAX_COLUMN = 460;
const COLUMN_GAP = 36;

export interface LaidOutNode {
  process: ProcessInfo;
  label: NodeLabel;
  /** Approximate drawn width of the label: links to children start after it. */
  labelWidth: number;
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
  /** Width of the last column, for fitting the view. */
  lastColumnWidth: number;
}

type Item = { node: TreeNode | null; children: Item[] };

function countDescendants(node: TreeNode): number {
  return node.children.reduce((n, child) => n + 1 + countDescendants(child), 0);
}

/** Lays out the forest left to right with d3's tidy tree; collapsed nodes hide their subtrees. Pure. */
export function layoutTree(
  roots: readonly TreeNode[],
  collapsed: ReadonlySet<number>,
  containers: ReadonlyMap<string, ContainerInfo>,
): TreeLayout {
  const toItem = (node: TreeNode): Item => ({
    node,
    children: collapsed.has(node.process.pid) ? [] : node.children.map(toItem),
  });
  // A virtual root joins the forest (pid 1, kthreadd, and any orphans) into one tree.
  const root = hierarchy<Item>({ node: null, children: roots.map(toItem) }, (d) => d.children);
  tree<Item>().nodeSize([ROW_HEIGHT, 1])(root);
  // Each generation's column is as wide as its widest label, so labels never run into children.
  const labels = new Map<Item, { label: NodeLabel; hidden: number }>();
  const widths: number[] = [];
  root.each((d) => {
    const source = d.data.node;
    if (!source) return;
    const hidden = collapsed.has(source.process.pid) ? countDescendants(source) : 0;
    const label = buildNodeLabel(source.process, containers, source.logical);
    labels.set(d.data, { label, hidden });
    const width = Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, measureNodeLabel(label, hidden) + COLUMN_GAP));
    widths[d.depth - 1] = Math.max(widths[d.depth - 1] ?? 0, width);
  });
  const columnX = [0];
  for (const w of widths) columnX.push((columnX[columnX.length - 1] ?? 0) + w);
  const nodes: LaidOutNode[] = [];
  const byItem = new Map<Item, LaidOutNode>();
  const links: LaidOutLink[] = [];
  const bounds = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  root.each((d) => {
    const source = d.data.node;
    if (!source) return;
    const { label, hidden } = labels.get(d.data) ?? { label: buildNodeLabel(source.process, containers, source.logical), hidden: 0 };
    const laid: LaidOutNode = {
      process: source.process,
      label,
      labelWidth: measureNodeLabel(label, hidden),
      // d3 lays trees out top-down: swap axes for a left-to-right tree.
      x: columnX[d.depth - 1] ?? 0,
      y: d.x ?? 0,
      hiddenDescendants: hidden,
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
  return { nodes, links, bounds, lastColumnWidth: widths[widths.length - 1] ?? 0 };
}
