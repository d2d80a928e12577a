import type { ContainerInfo, ProcessInfo, TreeNode } from '@proclens/shared';
import { buildNodeLabel, measureNodeLabel } from './node-label.ts';
import type { MeasureText, NodeLabel } from './node-label.ts';
import { rollupOf } from './rollup.ts';
import type { Rollup } from './rollup.ts';

/** Like `pstree`, this many identical leaf siblings or more are drawn as one `4*[sleep]` node. */
export const COMPACT_MIN = 2;
/** A group this big or smaller may open in place; a bigger one is listed in the side pane instead. */
export const GROUP_INLINE_MAX = 8;
/** Label widths are rounded up to this, so a thread count going from 9 to 10 moves nothing. */
const WIDTH_STEP = 8;

export type LayoutMode = 'wide' | 'stacked';

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

export interface LayoutOptions {
  containers: ReadonlyMap<string, ContainerInfo>;
  /** Folded processes: their subtrees are hidden. */
  collapsed: ReadonlySet<number>;
  /** Small groups the user opened in place. */
  expandedGroups: ReadonlySet<string>;
  /** Small groups holding one of these open (a highlighted container's members, search matches). */
  keepVisible: ReadonlySet<number>;
  /** Drawn as their own node even out of a big group (the selection). */
  pinned: ReadonlySet<number>;
  /** Drawn before their siblings, with their ancestors: the framed chain then reads as one run. */
  first: ReadonlySet<number>;
  /** The Docker focus: only these and their ancestors are drawn; the rest is one `+N other processes` node. */
  focus: ReadonlySet<number> | null;
  /** Processes that have exited and are drawn fading out. */
  departing: ReadonlySet<number>;
  /**
   * `wide`: like pstree, a parent on its first child's row and children right after its label.
   * `stacked`: one process per row, children indented below (for narrow screens and big type).
   */
  mode: LayoutMode;
  measure: MeasureText;
  rowHeight: number;
  /** Stacked only: labels wider than this go on two lines. */
  wrapAt: number | null;
}

const NO_CHILDREN = { items: [] as Item[], kept: [] as TreeNode[] };

type Item =
  | { kind: 'process'; node: TreeNode; children: Item[]; keptChildren: number; hiddenChildren: readonly TreeNode[] }
  | { kind: 'group'; node: TreeNode; members: TreeNode[]; key: string }
  | { kind: 'others'; count: number; process: ProcessInfo };

export function groupKey(parentPid: number, name: string, containerId: string | null, departing = false): string {
  return `g:${parentPid}:${containerId ?? ''}:${name}${departing ? ':gone' : ''}`;
}

/** Per node: whether it is in `set` or has a descendant in it. */
function markAncestry(roots: readonly TreeNode[], set: ReadonlySet<number>): Set<TreeNode> {
  const marked = new Set<TreeNode>();
  if (set.size === 0) return marked;
  // Pre-order into a list, then walk it backwards: children before their parents, no recursion.
  const order: TreeNode[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as TreeNode;
    order.push(node);
    for (const child of node.children) stack.push(child);
  }
  const parentOf = new Map<TreeNode, TreeNode>();
  for (const node of order) for (const child of node.children) parentOf.set(child, node);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as TreeNode;
    if (!marked.has(node) && !set.has(node.process.pid)) continue;
    marked.add(node);
    const parent = parentOf.get(node);
    if (parent) marked.add(parent);
  }
  return marked;
}

function countAll(nodes: readonly TreeNode[]): number {
  let n = 0;
  const stack = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop() as TreeNode;
    n++;
    stack.push(...node.children);
  }
  return n;
}

class ItemBuilder {
  readonly groups = new Map<string, number[]>();
  readonly kept: Set<TreeNode> | null;
  readonly early: Set<TreeNode>;
  othersCount = 0;
  othersFirst: ProcessInfo | null = null;

  constructor(
    roots: readonly TreeNode[],
    private readonly options: LayoutOptions,
  ) {
    this.kept = options.focus ? markAncestry(roots, new Set([...options.focus, ...options.pinned])) : null;
    this.early = markAncestry(roots, options.first);
  }

  /** Children of a node as drawn: focused, folded, compacted, the chain first. */
  children(parentPid: number, all: readonly TreeNode[]): { items: Item[]; kept: readonly TreeNode[] } {
    if (all.length === 0) return NO_CHILDREN;
    const kept = this.kept ? all.filter((c) => this.kept?.has(c)) : all;
    if (this.kept && kept.length < all.length) {
      const dropped = all.filter((c) => !this.kept?.has(c));
      this.othersCount += countAll(dropped);
      this.othersFirst ??= dropped[0]?.process ?? null;
    }
    const items: Item[] = [];
    const leaves = new Map<string, TreeNode[]>();
    for (const child of kept) {
      if (child.children.length > 0) items.push(this.item(child));
      else {
        // Siblings only: the name, container and whether it is leaving tell identical leaves apart.
        const p = child.process;
        const key = `${p.name}\u0000${p.containerId ?? ''}\u0000${this.options.departing.has(p.pid) ? 1 : 0}`;
        const same = leaves.get(key);
        if (same) same.push(child);
        else leaves.set(key, [child]);
      }
    }
    for (const members of leaves.values()) {
      const p = (members[0] as TreeNode).process;
      if (members.length < COMPACT_MIN) items.push(this.item(members[0] as TreeNode));
      else items.push(...this.compact(groupKey(parentPid, p.name, p.containerId, this.options.departing.has(p.pid)), members));
    }
    const rank = (item: Item): number => (item.kind !== 'others' && this.early.has(item.node) ? 0 : 1);
    const pidOf = (item: Item): number => (item.kind === 'others' ? Infinity : item.node.process.pid);
    items.sort((a, b) => rank(a) - rank(b) || pidOf(a) - pidOf(b));
    return { items, kept };
  }

  private compact(key: string, members: TreeNode[]): Item[] {
    const { expandedGroups, keepVisible, pinned } = this.options;
    if (members.length < COMPACT_MIN) return members.map((m) => this.item(m));
    this.groups.set(
      key,
      members.map((m) => m.process.pid),
    );
    const small = members.length <= GROUP_INLINE_MAX;
    if (small && (expandedGroups.has(key) || members.some((m) => keepVisible.has(m.process.pid)))) return members.map((m) => this.item(m));
    // A big group never opens in place: only the selected member steps out of it.
    const out = members.filter((m) => pinned.has(m.process.pid));
    const rest = members.filter((m) => !pinned.has(m.process.pid));
    const items = out.map((m) => this.item(m));
    if (rest.length >= COMPACT_MIN) items.push({ kind: 'group', node: rest[0] as TreeNode, members: rest, key });
    else items.push(...rest.map((m) => this.item(m)));
    return items;
  }

  item(node: TreeNode): Item {
    const folded = this.options.collapsed.has(node.process.pid);
    const { items, kept } = folded
      ? { items: [], kept: this.kept ? node.children.filter((c) => this.kept?.has(c)) : node.children }
      : this.children(node.process.pid, node.children);
    return { kind: 'process', node, children: items, keptChildren: kept.length, hiddenChildren: folded ? kept : [] };
  }
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
  const gap = Math.round(rowHeight * 1.1);
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
