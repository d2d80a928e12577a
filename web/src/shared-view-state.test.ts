import { describe, expect, it } from 'vitest';
import { sharedViewSchema } from '@proclens/shared';
import { applySharedView, buildSharedView } from './shared-view-state.ts';
import type { FollowedState } from './shared-view-state.ts';

type Section = 'identity' | 'namespaces';
const page: FollowedState<Section> & { theme: 'dark' | 'light'; help: boolean } = {
  selection: { pid: 2984, startTime: 78491 },
  container: 'db',
  query: 'redis',
  matchIndex: 0,
  view: 'runtime',
  kernelThreads: false,
  workshop: false,
  dockerFocus: true,
  folded: Array.from({ length: 300 }, (_, i) => i + 1),
  expandedGroups: ['1:sleep', 'x'.repeat(200)],
  framing: 'process',
  fits: 2,
  lessonStep: 3,
  section: 'namespaces',
  theme: 'light',
  help: true,
};

describe('the followed view', () => {
  it('buildSharedView makes a view the protocol accepts, trimmed to what a frame carries', () => {
    const shared = buildSharedView(page);
    expect(sharedViewSchema.safeParse(shared).success).toBe(true);
    expect(shared.folded).toHaveLength(256);
    expect(shared.expandedGroups).toEqual(['1:sleep']);
  });

  it('applySharedView takes the presenter’s choices and keeps the page’s own theme and help', () => {
    const presenter = { ...buildSharedView(page), view: 'kernel' as const, selection: { pid: 1, startTime: 0 }, section: 'environ' };
    const applied = applySharedView({ ...page, view: 'runtime' }, presenter, ['identity', 'namespaces']);
    expect(applied).toMatchObject({ view: 'kernel', selection: { pid: 1, startTime: 0 }, theme: 'light', help: true });
    // A section this page does not know is dropped rather than trusted.
    expect(applied.section).toBeNull();
  });
});
