import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree } from './build-tree.ts';
import type { TreeNode, TreeOptions } from './build-tree.ts';
import type { ProcessInfo } from './model.ts';
import { testProcess } from './testing.ts';

const proc = testProcess;

interface Shape {
  pid: number;
  logical: boolean;
  children: Shape[];
}

const shape = (nodes: readonly TreeNode[]): Shape[] => nodes.map((n) => ({ pid: n.process.pid, logical: n.logical, children: shape(n.children) }));
const pids = (nodes: readonly TreeNode[]): number[] => nodes.flatMap((n) => [n.process.pid, ...pids(n.children)]);
const find = (nodes: readonly TreeNode[], pid: number): TreeNode | undefined => {
  for (const n of nodes) {
    if (n.process.pid === pid) return n;
    const inner = find(n.children, pid);
    if (inner) return inner;
  }
  return undefined;
};

const RUNTIME: TreeOptions = { view: 'runtime', showKernelThreads: false };
const KERNEL: TreeOptions = { view: 'kernel', showKernelThreads: false };

// The modern Docker host of FIELD-NOTES, with kernel threads.
const host: ProcessInfo[] = [
  proc(1, 0, { name: 'systemd' }),
  proc(2, 0, { name: 'kthreadd', kernelThread: true }),
  proc(3, 2, { name: 'rcu_gp', kernelThread: true }),
  proc(2788, 1, { name: 'dockerd', role: 'dockerd' }),
  proc(2796, 2788, { name: 'containerd', role: 'containerd' }),
  proc(2962, 1, { name: 'containerd-shim', role: 'shim', logicalParent: 2796, shimOf: 'e05a4d92' }),
  proc(2984, 2962, { name: 'redis-server', containerId: 'e05a4d92' }),
  proc(17719, 2962, { name: 'sleep', containerId: 'e05a4d92' }),
];

/**
 * Random process tables whose kernel and logical links, taken together, have no cycle: each
 * process's parents come earlier in a random order (so a parent's pid may be higher, as after
 * pid wrap-around). Some parents are missing from the table.
 */
const acyclicProcesses = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 40 }).chain((order) =>
  fc.tuple(
    ...order.map((pid, i) =>
      fc
        .record({
          ppid: i === 0 ? fc.constant(0) : fc.oneof(fc.constantFrom(...order.slice(0, i)), fc.constant(0), fc.integer({ min: 501, max: 600 })),
          logicalParent: i === 0 ? fc.constant(null) : fc.option(fc.constantFrom(...order.slice(0, i))),
          kernelThread: fc.boolean(),
        })
        .map((r) => proc(pid, r.ppid, { logicalParent: r.logicalParent, kernelThread: r.kernelThread })),
    ),
  ),
);
const options = fc.record({ view: fc.constantFrom('runtime' as const, 'kernel' as const), showKernelThreads: fc.boolean() });

describe('buildTree', () => {
  it('buildTree gives the same tree for rows in any order', () => {
    fc.assert(
      fc.property(
        acyclicProcesses.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }))),
        options,
        ([rows, shuffled], opts) => {
          expect(shape(buildTree(shuffled, opts))).toEqual(shape(buildTree(rows, opts)));
        },
      ),
    );
  });

  it('buildTree places every visible process exactly once', () => {
    fc.assert(
      fc.property(acyclicProcesses, options, (rows, opts) => {
        const visible = rows.filter((p) => opts.showKernelThreads || !p.kernelThread).map((p) => p.pid);
        expect(pids(buildTree(rows, opts)).sort((a, b) => a - b)).toEqual(visible.sort((a, b) => a - b));
      }),
    );
  });

  it('buildTree does not need parents before children', () => {
    const tree = buildTree([proc(30, 20), proc(20, 10), proc(10, 0)], KERNEL);
    expect(shape(tree)).toEqual([{ pid: 10, logical: false, children: [{ pid: 20, logical: false, children: [{ pid: 30, logical: false, children: [] }] }] }]);
  });

  it('buildTree puts the shim under containerd in the runtime view and marks the link logical', () => {
    const tree = buildTree(host, RUNTIME);
    const containerd = find(tree, 2796);
    expect(containerd?.children.map((c) => c.process.pid)).toEqual([2962]);
    expect(find(tree, 2962)?.logical).toBe(true);
    expect(find(tree, 2962)?.children.map((c) => [c.process.pid, c.logical])).toEqual([
      [2984, false],
      [17719, false],
    ]);
    expect(find(tree, 1)?.children.map((c) => c.process.pid)).toEqual([2788]);
  });

  it('buildTree keeps the shim under pid 1 in the kernel view', () => {
    const tree = buildTree(host, KERNEL);
    expect(find(tree, 1)?.children.map((c) => c.process.pid)).toEqual([2788, 2962]);
    expect(find(tree, 2962)?.logical).toBe(false);
    expect(find(tree, 2796)?.children).toEqual([]);
  });

  it('buildTree hides kernel threads unless asked', () => {
    expect(pids(buildTree(host, RUNTIME))).not.toContain(2);
    expect(pids(buildTree(host, RUNTIME))).not.toContain(3);
    const shown = buildTree(host, { view: 'runtime', showKernelThreads: true });
    expect(shape(shown).map((n) => n.pid)).toEqual([1, 2]);
    expect(find(shown, 2)?.children.map((c) => c.process.pid)).toEqual([3]);
  });

  it('buildTree makes roots of processes whose parent is missing', () => {
    const tree = buildTree([proc(1, 0), proc(50, 40), proc(60, 50), proc(70, 999)], KERNEL);
    expect(shape(tree).map((n) => n.pid)).toEqual([1, 50, 70]);
    expect(find(tree, 50)?.children.map((c) => c.process.pid)).toEqual([60]);
  });

  it('buildTree makes a root of a process whose parent is a hidden kernel thread', () => {
    const tree = buildTree([proc(2, 0, { kernelThread: true }), proc(80, 2)], KERNEL);
    expect(shape(tree)).toEqual([{ pid: 80, logical: false, children: [] }]);
  });

  it('buildTree uses the kernel parent when the logical parent is not in the table', () => {
    const tree = buildTree([proc(1, 0), proc(20, 1, { logicalParent: 404 })], RUNTIME);
    expect(find(tree, 1)?.children.map((c) => [c.process.pid, c.logical])).toEqual([[20, false]]);
  });

  it('buildTree sorts roots and children by pid', () => {
    const tree = buildTree([proc(9, 0), proc(1, 0), proc(30, 1), proc(4, 1), proc(12, 1)], KERNEL);
    expect(shape(tree).map((n) => n.pid)).toEqual([1, 9]);
    expect(find(tree, 1)?.children.map((c) => c.process.pid)).toEqual([4, 12, 30]);
  });

  it('buildTree falls back to the kernel parent for a logical link that would close a cycle', () => {
    // 10's logical parent is its own child 20: following it would detach both from the tree.
    const rows = [proc(1, 0), proc(10, 1, { logicalParent: 20 }), proc(20, 10)];
    const tree = buildTree(rows, RUNTIME);
    expect(shape(tree)).toEqual([{ pid: 1, logical: false, children: [{ pid: 10, logical: false, children: [{ pid: 20, logical: false, children: [] }] }] }]);
  });

  it('buildTree keeps every process of a two-way logical cycle in the tree', () => {
    const rows = [proc(1, 0), proc(10, 1, { logicalParent: 20 }), proc(20, 1, { logicalParent: 10 })];
    expect(pids(buildTree(rows, RUNTIME)).sort((a, b) => a - b)).toEqual([1, 10, 20]);
  });

  it('buildTree resolves a two-way logical cycle the same way whatever the row order', () => {
    const a = proc(10, 1, { logicalParent: 20 });
    const b = proc(20, 1, { logicalParent: 10 });
    expect(shape(buildTree([proc(1, 0), b, a], RUNTIME))).toEqual(shape(buildTree([proc(1, 0), a, b], RUNTIME)));
  });
});
