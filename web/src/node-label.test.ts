import { describe, expect, it } from 'vitest';
import { buildNodeLabel, measureNodeLabel, monospaceMeasure, printable } from './node-label.ts';
import { DB, containers, host, proc } from './test-processes.ts';

describe('buildNodeLabel', () => {
  it('buildNodeLabel names a container process by its container and badges its own namespaces', () => {
    const label = buildNodeLabel(host[4] ?? proc(0, 0), containers, false, null);
    expect(label).toMatchObject({ name: 'redis-server', pid: '(21)', tag: ' db', namespaces: ' ⟨pid,net⟩', kernelNote: null });
  });

  it('buildNodeLabel says which container a shim serves and notes the kernel parent of a runtime link', () => {
    const label = buildNodeLabel(host[3] ?? proc(0, 0), containers, true, null);
    expect(label).toMatchObject({ tag: ' shim of db', kernelNote: ' ppid 1' });
  });

  it('buildNodeLabel writes a group as pstree does', () => {
    expect(buildNodeLabel(proc(22, 20, { name: 'sleep', containerId: DB }), containers, false, 3)).toMatchObject({ name: '3*[sleep]', pid: '' });
  });

  it('buildNodeLabel gives a departing container init the container’s exit code', () => {
    const stopped = new Map([[DB, { ...(containers.get(DB) as never as object), pid: null, exitCode: 137 }]]) as never;
    const init = { ...(host[4] ?? proc(0, 0)), nspid: [21, 1] };
    expect(buildNodeLabel(init, stopped, false, null, true).exit).toBe(' exited (137)');
    expect(buildNodeLabel({ ...init, nspid: [21, 7] }, stopped, false, null, true).exit).toBe(' exited');
  });

  it('printable escapes control characters in a kernel name', () => {
    expect(printable('a\nb\u0001')).toBe('a\\nb\\x01');
  });

  it('measureNodeLabel grows with the text', () => {
    const short = buildNodeLabel(proc(5, 1, { name: 'sh' }), containers, false, null);
    const long = buildNodeLabel(proc(5, 1, { name: 'a-much-longer-name' }), containers, false, null);
    const measure = monospaceMeasure(7);
    expect(measureNodeLabel(long, null, measure).oneLine).toBeGreaterThan(measureNodeLabel(short, null, measure).oneLine);
  });
});
