import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '@proclens/shared';
import { groupMarkers } from './group-markers.ts';

const event = (at: number, text: string): TimelineEvent => ({ at, id: `${at}:${text}`, kind: 'container-state', pid: null, containerId: 'c', text });

describe('groupMarkers', () => {
  it('groupMarkers makes one mark of events drawn at the same place, going to the last of them', () => {
    const groups = groupMarkers(
      [event(50_000, 'container db stopped (exit code 0)'), event(10_000, 'container db created (redis)'), event(10_020, 'container db started')],
      0,
      100_000,
      0.008,
    );
    expect(groups.map((g) => [g.at, g.position, g.events.map((e) => e.text), g.stops])).toEqual([
      [10_020, 0.1, ['container db created (redis)', 'container db started'], false],
      [50_000, 0.5, ['container db stopped (exit code 0)'], true],
    ]);
  });

  it('groupMarkers keeps marks a mark apart separate and leaves out events outside the span', () => {
    const groups = groupMarkers([event(10_000, 'a started'), event(11_000, 'b started'), event(200_000, 'c started')], 0, 100_000, 0.008);
    expect(groups.map((g) => g.at)).toEqual([10_000, 11_000]);
  });
});
