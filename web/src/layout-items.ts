import type { ProcessInfo, TreeNode } from '@proclens/shared';
import { COMPACT_MIN, GROUP_INLINE_MAX } from './layout-options.ts';
import type { LayoutOptions } from './layout-options.ts';

/*
 * What the layout draws, before it is placed: the tree with folded subtrees cut, identical leaves
 * compacted into groups, the Docker focus applied and the framed chain first among its siblings.
 */

const NO_CHILDREN = { items: [] as Item[], kept: [] as TreeNode[] };

export type Item =
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

export class ItemBuilder {
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
