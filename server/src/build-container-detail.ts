import type { ContainerInspectInfo } from 'dockerode';
import { maskEnvironment, parseEnvEntry } from '@proclens/shared';
import type { ContainerDetail, ContainerInfo } from '@proclens/shared';

/** The engine writes "0001-01-01T00:00:00Z" for "never". */
function parseEngineTime(text: string | undefined): number | null {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** Trims `docker inspect` to the detail view. Pure. */
export function buildContainerDetail(container: ContainerInfo, inspect: ContainerInspectInfo, revealSecrets: boolean): ContainerDetail {
  const labels = inspect.Config?.Labels ?? {};
  const entrypoint = inspect.Config?.Entrypoint;
  const cmd = inspect.Config?.Cmd;
  const ports = Object.entries(inspect.NetworkSettings?.Ports ?? {}).flatMap(([port, bindings]) =>
    (bindings ?? []).map((b) => ({ container: port, hostIp: b.HostIp ?? '', hostPort: b.HostPort ?? '' })),
  );
  const project = labels['com.docker.compose.project'];
  const service = labels['com.docker.compose.service'];
  const pod = labels['io.kubernetes.pod.name'];
  const namespace = labels['io.kubernetes.pod.namespace'];
  return {
    container,
    startedAt: parseEngineTime(inspect.State?.StartedAt),
    finishedAt: parseEngineTime(inspect.State?.FinishedAt),
    restartCount: inspect.RestartCount ?? 0,
    command: [...(Array.isArray(entrypoint) ? entrypoint : entrypoint ? [entrypoint] : []), ...(Array.isArray(cmd) ? cmd : cmd ? [cmd] : [])],
    user: inspect.Config?.User ?? '',
    workingDir: inspect.Config?.WorkingDir ?? '',
    init: (inspect.HostConfig as { Init?: boolean | null } | undefined)?.Init === true,
    networkMode: inspect.HostConfig?.NetworkMode ?? '',
    env: maskEnvironment((inspect.Config?.Env ?? []).map(parseEnvEntry), revealSecrets),
    mounts: (inspect.Mounts ?? []).map((m) => ({ type: m.Type ?? '', source: m.Source ?? '', destination: m.Destination ?? '', readWrite: m.RW !== false })),
    ports,
    compose: project && service ? { project, service } : null,
    kubernetes: pod && namespace ? { pod, namespace } : null,
  };
}
