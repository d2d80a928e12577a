import type { ContainerConfig, ContainerInfo, EngineKind, EngineStatus } from '@proclens/shared';

/** Containers as an engine lists them; `pids` are filled in from /proc by the monitor. */
export type EngineContainer = Omit<ContainerInfo, 'pids'>;

/**
 * One container engine the server watches (Docker, Podman through its Docker-compatible API,
 * containerd). The rest of the server sees only this, never an engine library's types. An
 * engine never throws to its callers: an unreachable one reports it in its status.
 */
export interface ContainerEngine {
  readonly kind: EngineKind;
  start(): void;
  stop(): void;
  getStatus(): EngineStatus;
  getContainers(): EngineContainer[];
  /** The container's configuration, or null when the engine cannot say (gone, unreachable). */
  inspect(id: string): Promise<ContainerConfig | null>;
}
