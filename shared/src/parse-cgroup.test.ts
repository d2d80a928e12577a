import { describe, expect, it } from 'vitest';
import { listFixtures, readFixture } from '../fixtures/read-fixture.js';
import { parseCgroup } from './parse-cgroup.ts';

const PROCESS_CASES = ['sleep', 'comm-parens', 'zombie', 'kthreadd', 'kernel-thread', 'pid1', 'redis-server'];

describe('parseCgroup', () => {
  it.each(PROCESS_CASES)('parseCgroup reads every line of the %s capture', (name) => {
    const text = readFixture(`proc/${name}/cgroup`);
    const lines = parseCgroup(text);
    expect(lines).toHaveLength(text.split('\n').filter(Boolean).length);
    for (const line of lines) expect(line.path.startsWith('/')).toBe(true);
  });

  it.each(PROCESS_CASES)('parseCgroup reads the v1 hierarchies and the v2 line of the %s capture', (name) => {
    const lines = parseCgroup(readFixture(`proc/${name}/cgroup`));
    // v1 hierarchies have a number and controllers (`name=systemd` for a named one); v2 is `0::`.
    for (const line of lines.filter((l) => l.hierarchy > 0)) expect(line.controllers.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.hierarchy === 0)).toEqual([{ hierarchy: 0, controllers: [], path: expect.stringMatching(/^\//) as unknown }]);
  });

  it.each(listFixtures('cgroup'))('parseCgroup reads the transcribed %s example', (file) => {
    const lines = parseCgroup(readFixture(`cgroup/${file}`));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.path).toMatch(/^\/\S+$/);
  });

  it.each([
    ['several controllers on one hierarchy', '2:cpu,cpuacct:/docker/x\n', { hierarchy: 2, controllers: ['cpu', 'cpuacct'], path: '/docker/x' }],
    ['a path that holds colons', '0::/a:b:c\n', { hierarchy: 0, controllers: [], path: '/a:b:c' }],
    ['an empty path', '0::\n', { hierarchy: 0, controllers: [], path: '' }],
  ])('parseCgroup reads %s', (_label, text, line) => {
    expect(parseCgroup(text)).toEqual([line]);
  });

  it.each([
    ['an empty file', ''],
    ['blank lines', '\n\n'],
    ['a line without colons', 'garbage\n'],
    ['a hierarchy that is not a number', 'x::/\n'],
  ])('parseCgroup skips %s', (_label, text) => {
    expect(parseCgroup(text)).toEqual([]);
  });
});
