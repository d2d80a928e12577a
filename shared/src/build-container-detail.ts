import type { ContainerDetail } from './detail.ts';
import { maskEnvironment } from './mask-environment.ts';
import type { ContainerInfo } from './model.ts';
import type { EnvVar } from './parse-environ.ts';

/**
 * A container's configuration as an engine reports it (`docker inspect`, Podman's compatible API,
 * containerd's metadata), in the project's own terms. `env` is raw: it is masked by
 * `buildContainerDetail` before anything leaves the server.
 */
export interface ContainerConfig {
  /** Milliseconds since the epoch; null when never started. */
  startedAt: number | null;
  finishedAt: number | null;
  restartCount: number;
  /** Entrypoint and command, as the engine runs them. */
  command: string[];
  user: string;
  workingDir: string;
  init: boolean;
  networkMode: string;
  env: EnvVar[];
  mounts: ContainerDetail['mounts'];
  ports: ContainerDetail['ports'];
  labels: Record<string, string>;
}

/** What the detail view shows of a container, secrets masked unless `reveal`. Pure. */
export function buildContainerDetail(container: ContainerInfo, config: ContainerConfig, reveal: boolean): ContainerDetail {
  const { labels } = config;
  const project = labels['com.docker.compose.project'];
  const service = labels['com.docker.compose.service'];
  const pod = labels['io.kubernetes.pod.name'];
  const namespace = labels['io.kubernetes.pod.namespace'];
  return {
    container,
    startedAt: config.startedAt,
    finishedAt: config.finishedAt,
    restartCount: config.restartCount,
    command: config.command,
    user: config.user,
    workingDir: config.workingDir,
    init: config.init,
    networkMode: config.networkMode,
    env: maskEnvironment(config.env, reveal),
    mounts: config.mounts,
    ports: config.ports,
    compose: project && service ? { project, service } : null,
    kubernetes: pod && namespace ? { pod, namespace } : null,
  };
}
