import { describe, expect, it } from 'vitest';
import { buildTree } from '@proclens/shared';
import type { TreeNode } from '@proclens/shared';
import { buildFrameBox } from './frame-box.ts';
import { layoutTree } from './layout-tree.ts';
import { measureWideChain } from './measure-wide-chain.ts';
import { host, layoutOptions } from './test-processes.ts';

describe('measureWideChain', () => {
  it('measureWideChain gives the width the wide layout draws the chain at, without laying out the tree', () => {
    const roots = buildTree(host, { view: 'runtime', showKernelThreads: false });
    const nodes = new Map<number, TreeNode>();
    const parents = new Map<number, number>();
    const walk = (n: TreeNode): void => {
      nodes.set(n.process.pid, n);
      n.children.forEach((c) => (parents.set(c.process.pid, n.process.pid), walk(c)));
    };
    roots.forEach(walk);
    const options = layoutOptions({ keepVisible: new Set([22, 23, 24]), first: new Set([10, 11, 20, 21]) });
    const chain = [10, 11, 20, 21, 22];
    const box = buildFrameBox(layoutTree(roots, options), chain);
    const measured = measureWideChain(chain, nodes, parents, options);
    expect(measured?.width).toBe((box?.x1 ?? 0) - (box?.x0 ?? 0));
    expect(measured?.levels).toBe(4);
  });
});
