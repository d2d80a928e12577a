import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '@proclens/shared';
import { buildEngineNotice } from './build-engine-notice.ts';

const engine = (kind: EngineStatus['kind'], state: EngineStatus['state']): EngineStatus => ({
  kind,
  state,
  endpoint: `unix:///run/${kind}.sock`,
  version: null,
  error: state === 'disconnected' ? 'connect ENOENT' : null,
});

describe('buildEngineNotice', () => {
  it('says nothing while every engine answers', () => {
    expect(buildEngineNotice([engine('docker', 'connected'), engine('podman', 'connected')], 3)).toBeNull();
    expect(buildEngineNotice([engine('docker', 'connecting')], 0)).toBeNull();
  });

  it('promises containers "when the engine is up" only when there is no engine and no container', () => {
    const notice = buildEngineNotice([engine('docker', 'disconnected')], 0);
    expect(notice?.unreachable.map((e) => e.kind)).toEqual(['docker']);
    expect(notice?.meanwhile).toBe('Showing the /proc tree only; containers will appear when the engine is up.');
  });

  it('with Podman connected beside an unreachable Docker, names which is down and never says containers will appear', () => {
    const notice = buildEngineNotice([engine('docker', 'disconnected'), engine('podman', 'connected')], 2);
    expect(notice?.unreachable.map((e) => e.kind)).toEqual(['docker']);
    expect(notice?.meanwhile).toBe('Podman is connected: its containers are shown, and Docker’s as /proc shows them.');
    expect(buildEngineNotice([engine('docker', 'disconnected'), engine('containerd', 'connected')], 0)?.meanwhile).not.toContain('will appear');
  });

  it('with no engine connected but containers found in /proc, says they come from /proc', () => {
    const notice = buildEngineNotice([engine('docker', 'disconnected'), engine('podman', 'disconnected')], 1);
    expect(notice?.unreachable.map((e) => e.kind)).toEqual(['docker', 'podman']);
    expect(notice?.meanwhile).toBe('Containers are listed from /proc (the runtime processes’ arguments) until Docker and Podman answer again.');
  });
});
