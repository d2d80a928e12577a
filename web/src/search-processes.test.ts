import { describe, expect, it } from 'vitest';
import { searchProcesses } from './search-processes.ts';
import { containers, host } from './test-processes.ts';

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
