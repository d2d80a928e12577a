import { describe, expect, it } from 'vitest';
import { buildTree } from '@proclens/shared';
import { layoutTree } from './layout-tree.ts';
import { buildLinkPath, buildOverviewPaths } from './tree-paths.ts';
import { layoutOptions, proc } from './test-processes.ts';

describe('tree paths', () => {
  const processes = [proc(1, 0, { name: 'init' }), ...Array.from({ length: 50 }, (_, i) => proc(10 + i, 1, { name: `d${i}`, argv: [`d${i}`] }))];
  const layout = layoutTree(buildTree(processes, { view: 'runtime', showKernelThreads: false }), layoutOptions());

  it('buildLinkPath draws a first child on its parent’s row as one straight line', () => {
    const first = layout.links.find((l) => l.target.y === l.source.y);
    expect(first && buildLinkPath(first, 'wide')).toMatch(/^M[\d.]+,[\d.]+H[\d.]+$/);
  });

  it('buildOverviewPaths draws fifty siblings as one bar and one elbow, and the marked ones apart', () => {
    const paths = buildOverviewPaths(layout, (n) => n.process.pid === 30);
    expect(paths.links.match(/M/g)).toHaveLength(2);
    // init's own column, and the siblings' column split around the marked one.
    expect(paths.dots.match(/M/g)).toHaveLength(3);
    expect(paths.marks.match(/M/g)).toHaveLength(1);
  });
});
