import { describe, expect, it } from 'vitest';
import { buildTree } from '@proclens/shared';
import { buildFrameBox, buildFrameTransform, isFramed } from './frame-box.ts';
import { layoutTree } from './layout-tree.ts';
import { host, layoutOptions } from './test-processes.ts';

describe('frame box and transform', () => {
  const layout = layoutTree(buildTree(host, { view: 'runtime', showKernelThreads: false }), layoutOptions());

  it('buildFrameBox covers every label of the chain, and only the chain', () => {
    const box = buildFrameBox(layout, [10, 11, 20, 21]);
    const redis = layout.byPid.get(21);
    expect(box?.x1).toBe((redis?.x ?? 0) + (redis?.labelWidth ?? 0));
    expect(box?.x0).toBe((layout.byPid.get(10)?.x ?? 0) - 12);
    expect(buildFrameBox(layout, [999])).toBeNull();
  });

  it('buildFrameTransform fits a small box at most at maxScale, centred', () => {
    const t = buildFrameTransform({ x0: 0, x1: 100, y0: 0, y1: 20 }, 1000, 600, 0.85, 1.25);
    expect(t.k).toBe(1.25);
    expect(isFramed({ x0: 0, x1: 100, y0: 0, y1: 20 }, t, 1000, 600)).toBe(true);
    expect(t.x + 50 * t.k).toBeCloseTo(500);
  });

  it('buildFrameTransform never goes below minScale: a box too big is shown from its top left', () => {
    const t = buildFrameTransform({ x0: 0, x1: 3000, y0: 0, y1: 100 }, 1000, 600, 1, 1.2);
    expect(t).toEqual({ x: 20, y: expect.any(Number) as number, k: 1 });
    expect(isFramed({ x0: 0, x1: 3000, y0: 0, y1: 100 }, t, 1000, 600)).toBe(false);
  });
});
