import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, buildTree, diffSnapshots } from '@proclens/shared';
import { buildTimelineEvents } from './build-timeline-events.ts';
import { buildHighlight } from './highlight.ts';
import { layoutTree } from './layout-tree.ts';
import { searchProcesses } from './search-processes.ts';
import { initialStreamState, reduceStream } from './snapshot-reducer.ts';
import { container, proc, snapshot } from './test-processes.ts';
import { formatUrlState, parseUrlState } from './url-state.ts';

const DB = 'a'.repeat(64);
const host = [
  proc(1, 0, { name: 'init' }),
  proc(10, 1, { name: 'dockerd', role: 'dockerd' }),
  proc(11, 10, { name: 'containerd', role: 'containerd' }),
  proc(20, 1, { name: 'containerd-shim', role: 'shim', logicalParent: 11, shimOf: DB }),
  proc(21, 20, { name: 'redis-server', containerId: DB, newNamespaces: ['pid', 'net'] }),
  proc(22, 20, { name: 'sleep', containerId: DB }),
  proc(23, 20, { name: 'sleep', containerId: DB }),
  proc(24, 20, { name: 'sleep', containerId: DB }),
];
const db = container(DB, 'db', [21, 22, 23, 24]);
const containers = new Map([[DB, db]]);
const options = { containers, collapsed: new Set<number>(), expandedGroups: new Set<string>(), keepVisible: new Set<number>(), textScale: 1 };

describe('reduceStream', () => {
  const first = snapshot(host, [db]);
  const opened = reduceStream(initialStreamState, { kind: 'message', message: { type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0, snapshot: first } });

  it('reduceStream applies diffs in sequence and records what happened on the timeline', () => {
    const next = snapshot([...host, proc(30, 20, { name: 'sh', containerId: DB })], [db], 2000);
    const diff = diffSnapshots(first, next);
    if (!diff) throw new Error('expected a diff');
    const state = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 1, diff } });
    expect(state.snapshot?.processes.map((p) => p.pid)).toContain(30);
    expect(state.events.map((e) => e.text)).toEqual(['sh(30) in db started']);
  });

  it('reduceStream asks for a resync on a sequence gap and keeps the old snapshot', () => {
    const diff = { upserted: [], removed: [21], containers: null, host: null, takenAt: 3 };
    const state = reduceStream(opened, { kind: 'message', message: { type: 'diff', seq: 5, diff } });
    expect(state.needsResync).toBe(true);
    expect(state.snapshot).toBe(first);
  });

  it('reduceStream shows reconnecting when the socket closes', () => {
    expect(reduceStream(opened, { kind: 'closed' }).connection).toBe('reconnecting');
  });
});

describe('buildTimelineEvents', () => {
  it('buildTimelineEvents names container starts, stops and removals, and exec into a container', () => {
    const before = snapshot([...host, proc(40, 20, { name: 'runc:[2:INIT]' })], [db, container('b'.repeat(64), 'web', [], { state: 'running' })]);
    const after = snapshot(
      [...host, proc(40, 20, { name: 'sleep', containerId: DB })],
      [db, container('c'.repeat(64), 'cache', [])].map((c) => c),
      2000,
    );
    const texts = buildTimelineEvents(before, after).map((e) => e.text);
    expect(texts).toContain('container cache started (redis:alpine)');
    expect(texts).toContain('container web removed');
    expect(texts).toContain('runc:[2:INIT](40) → sleep(40) in db');
  });

  it('buildTimelineEvents summarises a flood of births but keeps container processes', () => {
    const many = Array.from({ length: 50 }, (_, i) => proc(1000 + i, 1));
    const after = snapshot([...host, ...many, proc(2000, 20, { name: 'bash', containerId: DB })], [db]);
    const texts = buildTimelineEvents(snapshot(host, [db]), after).map((e) => e.text);
    expect(texts[0]).toBe('bash(2000) in db started');
    expect(texts).toContain('…and 39 more started');
  });
});

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

  it('buildHighlight lights up a container and the runtime chain above it', () => {
    const highlight = buildHighlight(db, layoutTree(roots, { ...options, keepVisible: new Set(db.pids) }));
    expect([...(highlight?.ancestors ?? [])].sort((a, b) => a - b)).toEqual([1, 10, 11, 20]);
  });
});

describe('searchProcesses', () => {
  it.each([
    ['redis', [21]],
    ['21', [21]],
    ['db', [21, 22, 23, 24]],
    ['/^sl/', [22, 23, 24]],
    ['', []],
  ])('searchProcesses finds %j in %j', (query, pids) => {
    expect(searchProcesses(host, containers, query, false).pids).toEqual(pids);
  });

  it('searchProcesses reports a broken pattern instead of throwing', () => {
    expect(searchProcesses(host, containers, '/(/', false).error).toBeTruthy();
  });
});

describe('url state', () => {
  it('parseUrlState and formatUrlState round-trip, and junk is ignored', () => {
    const state = { pid: 42, container: 'db', view: 'kernel' as const, kernelThreads: true };
    expect(parseUrlState(formatUrlState(state))).toEqual(state);
    expect(parseUrlState('?pid=../../x&view=evil')).toEqual({ pid: null, container: null, view: 'runtime', kernelThreads: false });
  });
});
