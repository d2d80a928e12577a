import { describe, expect, it } from 'vitest';
import { buildTree } from '@proclens/shared';
import { buildHighlight } from './highlight.ts';
import { layoutTree } from './layout-tree.ts';
import { db, host, layoutOptions } from './test-processes.ts';

describe('buildHighlight', () => {
  it('buildHighlight lights up a container and the runtime chain above it', () => {
    const roots = buildTree(host, { view: 'runtime', showKernelThreads: false });
    const layout = layoutTree(roots, layoutOptions({ keepVisible: new Set(db.pids) }));
    const highlight = buildHighlight(db, layout);
    expect([...(highlight?.ancestors ?? [])].sort((a, b) => a - b)).toEqual([1, 10, 11, 20]);
  });

  it('buildHighlight lights up nothing without a container', () => {
    const roots = buildTree(host, { view: 'runtime', showKernelThreads: false });
    expect(buildHighlight(null, layoutTree(roots, layoutOptions()))).toBeNull();
  });
});
