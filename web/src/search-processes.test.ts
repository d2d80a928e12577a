import { describe, expect, it } from 'vitest';
import { searchProcesses } from './search-processes.ts';
import { DB, containers, host, proc } from './test-processes.ts';

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

  it('searchProcesses ranks the container, then exact names, then names, then command lines', () => {
    const busy = [
      proc(5, 1, { name: 'chromium', argv: ['chromium', '--user-data-dir=/tmp/db'] }),
      proc(6, 1, { name: 'dbus-daemon', argv: ['dbus-daemon', '--system'] }),
      proc(7, 1, { name: 'db', argv: ['db'] }),
      ...host,
    ];
    expect(searchProcesses(busy, containers, 'db', false).pids).toEqual([21, 22, 23, 24, 7, 6, 5]);
  });

  it("searchProcesses puts a container's init before its processes with lower pids (pids wrap)", () => {
    // An exec'd sleep at pid 3, long after redis-server (21) started.
    const wrapped = [...host, proc(3, 20, { name: 'sleep', containerId: DB })];
    expect(searchProcesses(wrapped, containers, 'db', false).pids).toEqual([21, 3, 22, 23, 24]);
  });

  it('searchProcesses leaves kernel threads out unless they are shown', () => {
    const kthread = proc(2, 0, { name: 'kthreadd', kernelThread: true, containerId: null });
    expect(searchProcesses([kthread], containers, 'kthreadd', false).pids).toEqual([]);
    expect(searchProcesses([kthread, proc(3, 1, { containerId: DB })], containers, 'kthreadd', true).pids).toEqual([2]);
  });
});
