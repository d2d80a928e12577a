import { describe, expect, it } from 'vitest';
import { buildTree } from '@proclens/shared';
import { buildFrameChain } from './build-frame-chain.ts';
import { DB, db, host, proc } from './test-processes.ts';

const parentsOf = (processes: typeof host) => {
  const parents = new Map<number, number>();
  const walk = (n: ReturnType<typeof buildTree>[number]): void => n.children.forEach((c) => (parents.set(c.process.pid, n.process.pid), walk(c)));
  buildTree(processes, { view: 'runtime', showKernelThreads: false }).forEach(walk);
  return parents;
};
const input = { process: null, container: db, containers: [db], byPid: new Map(host.map((p) => [p.pid, p])), parents: parentsOf(host) };
const sorted = (pids: number[] | null) => [...(pids ?? [])].sort((a, b) => a - b);

describe('buildFrameChain', () => {
  it('buildFrameChain frames a container from dockerd through the shim to every member, not init', () => {
    expect(sorted(buildFrameChain({ ...input, framing: 'container' }))).toEqual([10, 11, 20, 21, 22, 23, 24]);
  });

  it('buildFrameChain frames a process in a container with its whole container', () => {
    const chain = buildFrameChain({ ...input, container: null, framing: 'process', process: host[5] ?? null });
    expect(sorted(chain)).toEqual([10, 11, 20, 21, 22, 23, 24]);
  });

  it('buildFrameChain frames a host process with a couple of ancestors', () => {
    const processes = [...host, proc(30, 1, { name: 'sshd' }), proc(31, 30, { name: 'bash' }), proc(32, 31, { name: 'vim' })];
    const chain = buildFrameChain({
      ...input,
      byPid: new Map(processes.map((p) => [p.pid, p])),
      parents: parentsOf(processes),
      framing: 'process',
      process: processes[processes.length - 1] ?? null,
    });
    expect(chain).toEqual([32, 31, 30]);
  });

  it('buildFrameChain keeps a stopped container framed by what is left of it, then falls back to the runtime', () => {
    const stopped = { ...db, pids: [], pid: null };
    expect(sorted(buildFrameChain({ ...input, container: stopped, containers: [stopped], framing: 'container' }))).toEqual([10, 11, 20, 21, 22, 23, 24]);
    const gone = host.filter((p) => p.containerId !== DB && p.shimOf !== DB);
    const chain = buildFrameChain({ ...input, container: stopped, containers: [stopped], byPid: new Map(gone.map((p) => [p.pid, p])), framing: 'container' });
    expect(sorted(chain)).toEqual([10, 11]);
  });

  it('buildFrameChain frames everything for Fit', () => {
    expect(buildFrameChain({ ...input, framing: 'everything' })).toBeNull();
  });
});
