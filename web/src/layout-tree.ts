import { hierarchy, tree } from 'd3-hierarchy';
import type { ContainerInfo, ProcessInfo, TreeNode } from '@proclens/shared';
import { buildNodeLabel, measureNodeLabel } from './node-label.ts';
import type { NodeLabel } from './node-label.ts';
import { rollupOf } from './rollup.ts';
import type { Rollup } from './rollup.ts';

/** Vertical distance between sibling rows, in px. */
export const ROW_HEIGHT = 26;
/** Columns are as wide as their widest label, within these bounds. */
const MIN_COLUMN = 110;
const MAX_COLUMN = 480;
const COLUMN_GAP = 36;
/** Like `pstree`, this many identical leaf siblings or more are drawn as one `4*[sleep]` node. */
export const COMPACT_MIN = 2;

export interface LaidOutNode {
  /** `pid` for a process node, `g:<parent>:<name>` for a compacted group. */
  key: string;
  /** The process drawn, or a group's first member. */
  process: ProcessInfo;
  /** For a compacted group: every member's pid. */
  group: number[] | null;
  label: NodeLabel;
  /** Approximate drawn width of the label: links to children start after it. */
  labelWidth: number;
  x: number;
  y: number;
  /** Totals of what a folded node hides, or of a group's members; null when nothing is hidden. */
  hidden: Rollup | null;
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

export interface LayoutOptions {
  containers: ReadonlyMap<string, ContainerInfo>;
  /** Folded processes: their subtrees are hidden. */
  collapsed: ReadonlySet<number>;
  /** Group keys the user opened, and pids that must stay visible (selection, highlight, search). */
  expandedGroups: ReadonlySet<string>;
  keepVisible: ReadonlySet<number>;
  /** Glyph width multiplier (workshop mode draws larger type). */
  textScale: number;
}

type Item = { node: TreeNode; group: TreeNode[] | null; children: Item[] } | { node: null; group: null; children: Item[] };

export function groupKey(parentPid: number, name: string, containerId: string | null): string {
  return `g:${parentPid}:${containerId ?? ''}:${name}`;
}

/** Children, with identical leaves folded into groups as `pstree` does. */
function childItems(parent: TreeNode, options: LayoutOptions): Item[] {
  const items: Item[] = [];
  const leaves = new Map<string, TreeNode[]>();
  for (const child of parent.children) {
    if (child.children.length > 0) {
      items.push(toItem(child, options));
      continue;
    }
    const key = groupKey(parent.process?.pid ?? 0, child.process.name, child.process.containerId);
    leaves.set(key, [...(leaves.get(key) ?? []), child]);
  }
  for (const [key, members] of leaves) {
    const open = members.length < COMPACT_MIN || options.expandedGroups.has(key) || members.some((m) => options.keepVisible.has(m.process.pid));
    if (open) items.push(...members.map((m) => toItem(m, options)));
    else items.push({ node: members[0] as TreeNode, group: members, children: [] });
  }
  return items.sort((a, b) => (a.node?.process.pid ?? 0) - (b.node?.process.pid ?? 0));
}

function toItem(node: TreeNode, options: LayoutOptions): Item {
  return { node, group: null, children: options.collapsed.has(node.process.pid) ? [] : childItems(node, options) };
}

/**
 * Lays out the forest left to right with d3's tidy tree: folded nodes hide their subtrees,
 * identical leaf siblings are compacted, and each column is as wide as its widest label. Pure.
 */
export function layoutTree(roots: readonly TreeNode[], options: LayoutOptions): TreeLayout {
  // A virtual root joins the forest (pid 1, kthreadd, and any orphans) into one tree.
  const virtualRoot: TreeNode = { process: null as unknown as ProcessInfo, children: [...roots], logical: false };
  const root = hierarchy<Item>({ node: null, group: null, children: childItems(virtualRoot, options) }, (d) => d.children);
  tree<Item>().nodeSize([ROW_HEIGHT, 1])(root);

  const drafts = new Map<Item, Omit<LaidOutNode, 'x' | 'y' | 'parentPid' | 'labelWidth'> & { depth: number; width: number }>();
  const widths: number[] = [];
  root.each((d) => {
    const { node, group } = d.data;
    if (!node) return;
    const folded = options.collapsed.has(node.process.pid) && node.children.length > 0;
    const hidden = group ? rollupOf(group) : folded ? rollupOf(node.children) : null;
    const label = buildNodeLabel(node.process, options.containers, node.logical, group?.length ?? null);
    const width = measureNodeLabel(label, hidden) * options.textScale;
    drafts.set(d.data, {
      key: group ? groupKey(d.parent?.data.node?.process.pid ?? 0, node.process.name, node.process.containerId) : String(node.process.pid),
      process: node.process,
      group: group ? group.map((g) => g.process.pid) : null,
      label,
      hidden,
      childCount: group ? 0 : node.children.length,
      logical: node.logical,
      depth: d.depth,
      width,
    });
    widths[d.depth - 1] = Math.max(widths[d.depth - 1] ?? 0, Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, width + COLUMN_GAP)));
  });
  const columnX = [0];
  for (const w of widths) columnX.push((columnX[columnX.length - 1] ?? 0) + w);

  const nodes: LaidOutNode[] = [];
  const byItem = new Map<Item, LaidOutNode>();
  const links: LaidOutLink[] = [];
  const bounds = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  root.each((d) => {
    const draft = drafts.get(d.data);
    if (!draft) return;
    const { depth, width, ...rest } = draft;
    const parent = d.parent ? byItem.get(d.parent.data) : undefined;
    // d3 lays trees out top-down: swap axes for a left-to-right tree.
    const laid: LaidOutNode = { ...rest, labelWidth: width, x: columnX[depth - 1] ?? 0, y: d.x ?? 0, parentPid: parent?.process.pid ?? null };
    byItem.set(d.data, laid);
    nodes.push(laid);
    bounds.minX = Math.min(bounds.minX, laid.x);
    bounds.maxX = Math.max(bounds.maxX, laid.x);
    bounds.minY = Math.min(bounds.minY, laid.y);
    bounds.maxY = Math.max(bounds.maxY, laid.y);
    if (parent) links.push({ source: parent, target: laid, logical: laid.logical });
  });
  if (nodes.length === 0) Object.assign(bounds, { minX: 0, maxX: 0, minY: 0, maxY: 0 });
  return { nodes, links, bounds, lastColumnWidth: widths[widths.length - 1] ?? 0 };
}
