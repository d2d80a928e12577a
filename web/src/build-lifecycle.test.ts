import { describe, expect, it } from 'vitest';
import { PULSE_MS, buildLifecycle } from './build-lifecycle.ts';
import type { TimelineEvent } from './build-timeline-events.ts';
import { FADE_MS } from './snapshot-reducer.ts';
import { DB, containers, db, host } from './test-processes.ts';

const byPid = new Map(host.map((p) => [p.pid, p]));
const started: TimelineEvent = {
  id: 'e',
  at: 0,
  kind: 'container-created',
  text: 'container db started',
  pid: 21,
  containerId: DB,
  runtime: true,
  started: true,
  seenAt: 1000,
};

describe('buildLifecycle', () => {
  it('buildLifecycle toasts a new container with its first process and pid, then lets it go', () => {
    const appeared = { [DB]: { pid: 21, at: 1000 } };
    const now = buildLifecycle([started], [], appeared, containers, byPid, 1500);
    expect(now.toasts.map((t) => t.text)).toEqual(['db started: redis-server, pid 21']);
    expect(now.started.has(DB)).toBe(true);
    expect(buildLifecycle([started], [], appeared, containers, byPid, 1000 + PULSE_MS + 1).toasts).toEqual([]);
  });

  it('buildLifecycle counts a start from when its process appears, on a host too busy to read it at once', () => {
    const appeared = { [DB]: { pid: 21, at: 9000 } };
    expect(buildLifecycle([started], [], appeared, containers, byPid, 9000 + PULSE_MS - 1).started.has(DB)).toBe(true);
    expect(buildLifecycle([started], [], {}, containers, byPid, 8000).started.has(DB)).toBe(true);
  });

  it('buildLifecycle does not announce a container whose start is long before its process came on screen (a seek)', () => {
    // The playhead jumped ten minutes past db's start: its process is on screen now, its start is history.
    const history = { ...started, seenAt: 0 };
    const appeared = { [DB]: { pid: 21, at: 600_000 } };
    expect(buildLifecycle([history], [], appeared, containers, byPid, 600_500).toasts).toEqual([]);
    // A seek to 8 s after a start: history, announced for PULSE_MS from its own moment only.
    const recent = { ...started, seenAt: 600_000 - 8000, history: true };
    expect(buildLifecycle([recent], [], appeared, containers, byPid, 600_500).toasts).toEqual([]);
    // A seek to the start itself: the start is now, and it is announced.
    expect(buildLifecycle([{ ...started, seenAt: 600_000 }], [], appeared, containers, byPid, 600_500).toasts).toHaveLength(1);
  });

  it('buildLifecycle keeps a removed container fading for FADE_MS, and says when nothing changes with time', () => {
    const gone = [{ item: db, at: 1000 }];
    const none = new Map();
    expect(buildLifecycle([], gone, {}, none, byPid, 1000 + FADE_MS - 1)).toMatchObject({ departingContainers: [db], changing: true });
    expect(buildLifecycle([], gone, {}, none, byPid, 1000 + FADE_MS)).toMatchObject({ departingContainers: [], changing: false });
    // Listed again: it is not drawn twice.
    expect(buildLifecycle([], gone, {}, containers, byPid, 1000 + FADE_MS - 1).departingContainers).toEqual([]);
  });
});
