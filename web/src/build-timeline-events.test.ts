import { describe, expect, it } from 'vitest';
import { buildTimelineEvents } from './build-timeline-events.ts';
import { DB, container, db, host, proc, snapshot } from './test-processes.ts';

describe('buildTimelineEvents', () => {
  it('buildTimelineEvents names container starts, stops and removals, and exec into a container', () => {
    const before = snapshot([...host, proc(40, 20, { name: 'runc:[2:INIT]' })], [db, container('b'.repeat(64), 'web', [], { state: 'running' })]);
    const after = snapshot([...host, proc(40, 20, { name: 'sleep', containerId: DB })], [db, container('c'.repeat(64), 'cache', [])], 2000);
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
