import type { ProcessInfo, TreeNode } from '@proclens/shared';
import { buildNodeLabel, measureNodeLabel } from './node-label.ts';
import type { NodeLabel } from './node-label.ts';
import { ItemBuilder } from './layout-items.ts';
import type { Item } from './layout-items.ts';
import type { LayoutMode, LayoutOptions } from './layout-options.ts';
import { rollupOf } from './rollup.ts';
import { wideGap } from './measure-wide-chain.ts';

export { COMPACT_MIN, GROUP_INLINE_MAX } from './layout-options.ts';
export { groupKey } from './layout-items.ts';
export type { LayoutMode, LayoutOptions } from './layout-options.ts';

/** Label widths are rounded up to this, so a thread count going from 9 to 10 moves nothing. */
const WIDTH_STEP = 8;

import type { Rollup } from './rollup.ts';

export interface LaidOutNode {
  /** `pid` for a process node, `g:<parent>:<container>:<name>` for a compacted group, `others` for the Docker focus's fold. */
  key: string;
  kind: 'process' | 'group' | 'others';
  /** The process drawn, a group's first member, or the first process the `others` node stands for. */
  process: ProcessInfo;
  /** For a compacted group: the pids it draws. */
  group: number[] | null;
  /** For the `others` node: how many processes it stands for. */
  count: number;
  label: NodeLabel;
  /** Drawn width of the label (its widest line), from the circle's centre. */
  labelWidth: number;
  /** 2 when the label is wrapped: what is said about the process goes on a second line. */
  lines: 1 | 2;
  x: number;
  y: number;
  /** Levels below the tree's roots. */
  depth: number;
  /** Totals of what a folded node hides, or of a group's members; null when nothing is hidden. */
  hidden: Rollup | null;
  childCount: number;
  /** The link to its parent is a runtime (logical) link, not the kernel's. */
  logical: boolean;
  parentPid: number | null;
  /** It has exited and is drawn fading out. */
  departing: boolean;
}

export interface LaidOutLink {
  source: LaidOutNode;
  target: LaidOutNode;
  logical: boolean;
}

export interface TreeLayout {
  nodes: LaidOutNode[];
  links: LaidOutLink[];
  /** Everything drawn, labels included. */
  bounds: { minX: number; maxX: number; minY: number; maxY: number };
  /** Every member of every compacted group, by group key (members drawn on their own included). */
  groups: ReadonlyMap<string, number[]>;
  /** The node that draws each pid (a process's own, or its group's). */
  byPid: ReadonlyMap<number, LaidOutNode>;
  mode: LayoutMode;
  rowHeight: number;
}

/**
 * Lays out the forest, pure: folded nodes hide their subtrees, identical leaf siblings are
 * compacted (big groups never open in place), the Docker focus folds the rest into one node, and
 * the framed chain comes first among its siblings so that it reads as one run. Positions depend
 * only on a node's ancestors and the rows above it, never on unrelated columns.
 */
export function layoutTree(roots: readonly TreeNode[], options: LayoutOptions): TreeLayout {
  const builder = new ItemBuilder(roots, options);
  const top = builder.children(0, roots).items;
  if (builder.othersCount > 0 && builder.othersFirst) {
    const others: Item = { kind: 'others', count: builder.othersCount, process: builder.othersFirst };
    const host = top[0];
    // Under init when init is drawn: "init → … +N other processes".
    if (host?.kind === 'process') host.children.push(others);
    else top.push(others);
  }
  const { rowHeight, mode } = options;
  const gap = wideGap(rowHeight);
  const indent = Math.round(rowHeight * 0.9);
  const nodes: LaidOutNode[] = [];
  const links: LaidOutLink[] = [];
  const byPid = new Map<number, LaidOutNode>();
  let cursor = 0;

  const build = (item: Item, x: number, parent: LaidOutNode | null): LaidOutNode => {
    const laid = buildNode(item, x, parent, options);
    laid.depth = parent ? parent.depth + 1 : 0;
    nodes.push(laid);
    if (laid.group) for (const pid of laid.group) byPid.set(pid, laid);
    else if (laid.kind === 'process') byPid.set(laid.process.pid, laid);
    if (parent) links.push({ source: parent, target: laid, logical: laid.logical });
    return laid;
  };
  const placeWide = (item: Item, x: number, parent: LaidOutNode | null): LaidOutNode => {
    const laid = build(item, x, parent);
    const children = item.kind === 'process' ? item.children : [];
    if (children.length === 0) {
      laid.y = cursor + rowHeight / 2;
      cursor += rowHeight;
    }
    const childX = x + laid.labelWidth + gap;
    children.forEach((child, i) => {
      const placed = placeWide(child, childX, laid);
      if (i === 0) laid.y = placed.y;
    });
    return laid;
  };
  const placeStacked = (item: Item, x: number, parent: LaidOutNode | null): LaidOutNode => {
    const laid = build(item, x, parent);
    laid.y = cursor + rowHeight / 2;
    cursor += rowHeight * laid.lines;
    if (item.kind === 'process') for (const child of item.children) placeStacked(child, x + indent, laid);
    return laid;
  };
  for (const item of top) (mode === 'wide' ? placeWide : placeStacked)(item, 0, null);

  const bounds = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
  for (const n of nodes) {
    bounds.minX = Math.min(bounds.minX, n.x - rowHeight / 2);
    bounds.maxX = Math.max(bounds.maxX, n.x + n.labelWidth);
    bounds.minY = Math.min(bounds.minY, n.y - rowHeight / 2);
    bounds.maxY = Math.max(bounds.maxY, n.y + rowHeight * (n.lines - 0.5));
  }
  if (nodes.length === 0) Object.assign(bounds, { minX: 0, maxX: 0, minY: 0, maxY: 0 });
  return { nodes, links, bounds, groups: builder.groups, byPid, mode, rowHeight };
}

function buildNode(item: Item, x: number, parent: LaidOutNode | null, options: LayoutOptions): LaidOutNode {
  const parentPid = parent?.process.pid ?? null;
  if (item.kind === 'others') {
    const label: NodeLabel = { name: `+${item.count} other processes`, pid: '', threads: null, tag: null, kernelNote: null, namespaces: null, exit: null };
    const width = measureNodeLabel(label, null, options.measure).oneLine;
    const common = { x, y: 0, depth: 0, hidden: null, childCount: 0, logical: false, parentPid, departing: false, lines: 1 as const };
    return { ...common, key: 'others', kind: 'others', process: item.process, group: null, count: item.count, label, labelWidth: roundUp(width) };
  }
  const node = item.node;
  const departing = options.departing.has(node.process.pid);
  const group = item.kind === 'group' ? item.members : null;
  const folded = item.kind === 'process' && item.hiddenChildren.length > 0;
  const hidden = group ? rollupOf(group) : folded ? rollupOf(item.hiddenChildren) : null;
  const label = buildNodeLabel(node.process, options.containers, node.logical, group?.length ?? null, departing);
  const size = measureNodeLabel(label, hidden, options.measure);
  const wrap = options.mode === 'stacked' && options.wrapAt !== null && size.second > 0 && size.oneLine > options.wrapAt;
  return {
    key: item.kind === 'group' ? item.key : String(node.process.pid),
    kind: item.kind,
    process: node.process,
    group: group ? group.map((g) => g.process.pid) : null,
    count: group ? group.length : 1,
    label,
    labelWidth: roundUp(wrap ? Math.max(size.first, size.second) : size.oneLine),
    lines: wrap ? 2 : 1,
    x,
    y: 0,
    depth: 0,
    hidden,
    childCount: item.kind === 'process' ? item.keptChildren : 0,
    logical: node.logical,
    parentPid,
    departing,
  };
}

function roundUp(width: number): number {
  return Math.ceil(width / WIDTH_STEP) * WIDTH_STEP;
}
