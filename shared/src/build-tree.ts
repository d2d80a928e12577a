import type { ProcessInfo } from './model.ts';

/** `runtime`: dockerd → containerd → shim → process (logical links); `kernel`: the plain PPID tree. */
export type TreeView = 'runtime' | 'kernel';

export interface TreeNode {
  process: ProcessInfo;
  children: TreeNode[];
  /** Whether the link to the parent is a logical (runtime) link rather than the kernel's. */
  logical: boolean;
}

export interface TreeOptions {
  view: TreeView;
  showKernelThreads: boolean;
}

/**
 * Builds the process forest. Rows may come in any order; a process whose parent is missing
 * (pid 1's parent 0, or a parent hidden by the options) becomes a root. A logical link that
 * would close a cycle falls back to the kernel parent. Children are sorted by pid.
 */
export function buildTree(processes: readonly ProcessInfo[], options: TreeOptions): TreeNode[] {
  // Sorted so that which link of a logical cycle falls back does not depend on row order.
  const visible = processes.filter((p) => options.showKernelThreads || !p.kernelThread).sort((a, b) => a.pid - b.pid);
  const byPid = new Map(visible.map((p) => [p.pid, p]));
  const parentOf = new Map<number, { pid: number; logical: boolean }>();
  for (const p of visible) {
    const logical = options.view === 'runtime' && p.logicalParent !== null && byPid.has(p.logicalParent);
    parentOf.set(p.pid, { pid: logical ? (p.logicalParent as number) : p.ppid, logical });
  }
  for (const p of visible) {
    if (parentOf.get(p.pid)?.logical && closesCycle(p.pid, parentOf)) parentOf.set(p.pid, { pid: p.ppid, logical: false });
  }
  const nodes = new Map<number, TreeNode>(visible.map((p) => [p.pid, { process: p, children: [], logical: false }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const link = parentOf.get(node.process.pid);
    const parent = link && link.pid !== node.process.pid ? nodes.get(link.pid) : undefined;
    node.logical = Boolean(parent && link?.logical);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function closesCycle(start: number, parentOf: Map<number, { pid: number }>): boolean {
  const seen = new Set<number>([start]);
  for (let pid = parentOf.get(start)?.pid; pid !== undefined; pid = parentOf.get(pid)?.pid) {
    if (seen.has(pid)) return true;
    seen.add(pid);
  }
  return false;
}
