import { describe, expect, it } from 'vitest';
import { buildTree } from '@proclens/shared';
import { GROUP_INLINE_MAX, groupKey, layoutTree } from './layout-tree.ts';
import { DB, host, layoutOptions, proc } from './test-processes.ts';

const roots = buildTree(host, { view: 'runtime', showKernelThreads: false });
const sleepers = (n: number) => Array.from({ length: n }, (_, i) => proc(100 + i, 1, { name: 'sleep' }));

describe('layoutTree', () => {
  it('layoutTree compacts identical leaf siblings like pstree', () => {
    const layout = layoutTree(roots, layoutOptions());
    const group = layout.nodes.find((n) => n.kind === 'group');
    expect(group?.label.name).toBe('3*[sleep]');
    expect(group?.group).toEqual([22, 23, 24]);
    expect(layout.nodes.find((n) => n.process.pid === 22 && n.kind === 'process')).toBeUndefined();
    expect(layout.groups.get(groupKey(20, 'sleep', DB))).toEqual([22, 23, 24]);
  });

  it('layoutTree opens a small group that holds a process that must stay visible', () => {
    const layout = layoutTree(roots, layoutOptions({ keepVisible: new Set([23]) }));
    expect(layout.nodes.filter((n) => n.kind === 'process').map((n) => n.process.pid)).toEqual(expect.arrayContaining([22, 23, 24]));
  });

  it('layoutTree never opens a big group in place: the selected member steps out, the rest stays one node', () => {
    const tree = buildTree([proc(1, 0, { name: 'init' }), ...sleepers(800)], { view: 'runtime', showKernelThreads: false });
    const key = groupKey(1, 'sleep', null);
    const layout = layoutTree(tree, layoutOptions({ expandedGroups: new Set([key]), keepVisible: new Set([150, 151]), pinned: new Set([150]) }));
    expect(layout.nodes).toHaveLength(3);
    expect(layout.nodes.find((n) => n.kind === 'group')?.group).toHaveLength(799);
    expect(layout.nodes.find((n) => n.kind === 'process' && n.process.pid === 150)).toBeDefined();
    expect(layout.groups.get(key)).toHaveLength(800);
    expect(GROUP_INLINE_MAX).toBeLessThan(20);
  });

  it('layoutTree rolls up a folded subtree', () => {
    const layout = layoutTree(roots, layoutOptions({ collapsed: new Set([20]) }));
    expect(layout.nodes.find((n) => n.process.pid === 20)?.hidden).toEqual({ processes: 4, cpu: 0, rssKiB: 4096 });
  });

  it('layoutTree (wide) places children right after their parent’s label, the first on the parent’s row', () => {
    const layout = layoutTree(roots, layoutOptions());
    for (const link of layout.links) expect(link.target.x).toBeGreaterThanOrEqual(link.source.x + link.source.labelWidth);
    const init = layout.byPid.get(1);
    expect(init?.y).toBe(layout.byPid.get(10)?.y);
  });

  it('layoutTree (stacked) gives every process its own row, children indented under their parent', () => {
    const layout = layoutTree(roots, layoutOptions({ mode: 'stacked' }));
    const ys = layout.nodes.map((n) => n.y);
    expect(new Set(ys).size).toBe(ys.length);
    for (const link of layout.links) {
      expect(link.target.x).toBeGreaterThan(link.source.x);
      expect(link.target.y).toBeGreaterThan(link.source.y);
    }
  });

  it('layoutTree puts the framed chain first among its siblings, so it reads as one run', () => {
    // In the kernel view the shim is init's child, after dockerd.
    const kernel = buildTree(host, { view: 'kernel', showKernelThreads: false });
    expect(
      layoutTree(kernel, layoutOptions())
        .nodes.filter((n) => n.parentPid === 1)
        .map((n) => n.process.pid),
    ).toEqual([10, 20]);
    const chained = layoutTree(kernel, layoutOptions({ first: new Set([21]) }));
    expect(chained.nodes.filter((n) => n.parentPid === 1).map((n) => n.process.pid)).toEqual([20, 10]);
    expect(chained.byPid.get(21)?.y).toBe(chained.byPid.get(1)?.y);
  });

  it('layoutTree does not move a chain when unrelated processes come and go below it', () => {
    const before = layoutTree(roots, layoutOptions({ first: new Set([21]) }));
    const busier = buildTree([...host, ...Array.from({ length: 50 }, (_, i) => proc(500 + i, 1, { name: `job${i}`, argv: ['x'.repeat(i)] }))], {
      view: 'runtime',
      showKernelThreads: false,
    });
    const after = layoutTree(busier, layoutOptions({ first: new Set([21]) }));
    for (const pid of [1, 20, 21]) expect([after.byPid.get(pid)?.x, after.byPid.get(pid)?.y]).toEqual([before.byPid.get(pid)?.x, before.byPid.get(pid)?.y]);
  });

  it('layoutTree with the Docker focus folds everything else into one "+N other processes" node', () => {
    const busy = buildTree([...host, proc(30, 1, { name: 'sshd' }), proc(31, 30, { name: 'bash' }), proc(32, 1, { name: 'cron' })], {
      view: 'runtime',
      showKernelThreads: false,
    });
    const focus = new Set(host.filter((p) => p.role || p.containerId).map((p) => p.pid));
    const layout = layoutTree(busy, layoutOptions({ focus }));
    const others = layout.nodes.find((n) => n.kind === 'others');
    expect(others?.label.name).toBe('+3 other processes');
    expect(others?.parentPid).toBe(1);
    expect(layout.byPid.has(31)).toBe(false);
    expect(layout.byPid.has(21)).toBe(true);
  });

  it('layoutTree marks exited processes as departing and says so in their label', () => {
    const layout = layoutTree(roots, layoutOptions({ departing: new Set([21]) }));
    expect(layout.byPid.get(21)).toMatchObject({ departing: true, label: { exit: ' exited' } });
  });

  it('layoutTree (stacked) wraps a label wider than wrapAt onto two lines, and gives it two rows', () => {
    const layout = layoutTree(roots, layoutOptions({ mode: 'stacked', wrapAt: 100 }));
    const redis = layout.byPid.get(21);
    expect(redis?.lines).toBe(2);
    const next = layout.nodes[layout.nodes.indexOf(redis as never) + 1];
    expect((next?.y ?? 0) - (redis?.y ?? 0)).toBe(48);
  });
});
