import { buildContainerDetail, maskEnvironment } from '@proclens/shared';
import type { ContainerConfig, ContainerInfo, ProcessDetail, ProcessInfo } from '@proclens/shared';
import { readProcessDetail } from './read-process-detail.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';

/** An answer as HTTP gives it: the live API sends it, an agent sends it to the hub over NATS. */
export interface DetailReply {
  status: number;
  body: unknown;
}

export interface LiveDetailOptions {
  feed: SnapshotFeed;
  procRoot: string;
  revealSecrets: boolean;
  /** A process not in the snapshot yet (born since the last tick): read from `/proc/<pid>` alone, never a scan. */
  readProcess(pid: number): ProcessInfo | null;
  inspectContainer(container: ContainerInfo): Promise<ContainerConfig | null>;
}

/** The detail pane's two questions about the live host. Secrets are masked here, the one place both answers pass. */
export interface LiveDetails {
  readProcess(pid: number): Promise<DetailReply>;
  readContainer(ref: string): Promise<DetailReply>;
}

/** A container by full id, name, or an unambiguous id prefix of at least 4: what `docker inspect` takes. */
export function findContainer(containers: readonly ContainerInfo[], ref: string): ContainerInfo | null {
  if (!/^[\w.-]{1,128}$/.test(ref)) return null;
  const exact = containers.find((c) => c.id === ref || c.name === ref);
  if (exact) return exact;
  if (ref.length < 4) return null;
  const prefixed = containers.filter((c) => c.id.startsWith(ref));
  return prefixed.length === 1 ? (prefixed[0] ?? null) : null;
}

export function createLiveDetails(options: LiveDetailOptions): LiveDetails {
  return {
    readProcess: async (pid) => {
      const snapshot = options.feed.current();
      const process = snapshot.processes.find((p) => p.pid === pid) ?? options.readProcess(pid);
      const detail = process ? readProcessDetail(process, { procRoot: options.procRoot, revealSecrets: options.revealSecrets }) : null;
      if (!process || !detail) return { status: 404, body: { error: 'no such process', pid } };
      const container = process.containerId ? (snapshot.containers.find((c) => c.id === process.containerId) ?? null) : null;
      const config = container ? await options.inspectContainer(container) : null;
      const body: ProcessDetail = { ...detail, container, containerEnv: config ? maskEnvironment(config.env, options.revealSecrets) : null, recordedAt: null };
      return { status: 200, body };
    },
    readContainer: async (ref) => {
      const container = findContainer(options.feed.current().containers, ref);
      const config = container ? await options.inspectContainer(container) : null;
      if (!container || !config) return { status: 404, body: { error: 'no such container', ref } };
      return { status: 200, body: buildContainerDetail(container, config, options.revealSecrets) };
    },
  };
}
