import { describe, expect, it } from 'vitest';
import { buildTree } from '@proclens/shared';
import { layoutTree } from './layout-tree.ts';
import { containers, host } from './test-processes.ts';

const options = { containers, collapsed: new Set<number>(), expandedGroups: new Set<string>(), keepVisible: new Set<number>(), textScale: 1 };

describe('layoutTree', () => {
  const roots = buildTree(host, { view: 'runtime', showKernelThreads: false });

  it('layoutTree compacts identical leaf siblings like pstree', () => {
    const layout = layoutTree(roots, options);
    const group = layout.nodes.find((n) => n.group);
    expect(group?.label.name).toBe('3*[sleep]');
    expect(group?.group).toEqual([22, 23, 24]);
    expect(layout.nodes.find((n) => n.process.pid === 22 && !n.group)).toBeUndefined();
  });

  it('layoutTree opens a group that holds a process that must stay visible', () => {
    const layout = layoutTree(roots, { ...options, keepVisible: new Set([23]) });
    expect(layout.nodes.filter((n) => !n.group).map((n) => n.process.pid)).toEqual(expect.arrayContaining([22, 23, 24]));
  });

  it('layoutTree rolls up a folded subtree', () => {
    const layout = layoutTree(roots, { ...options, collapsed: new Set([20]) });
    expect(layout.nodes.find((n) => n.process.pid === 20)?.hidden).toEqual({ processes: 4, cpu: 0, rssKiB: 4096 });
  });

  it('layoutTree places children right of their parent, never on top of its label', () => {
    const layout = layoutTree(roots, options);
    for (const link of layout.links) expect(link.target.x).toBeGreaterThanOrEqual(link.source.x + link.source.labelWidth);
  });
});
