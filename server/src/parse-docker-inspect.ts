import type { ContainerInspectInfo } from 'dockerode';
import { parseEnvEntry } from '@proclens/shared';
import type { ContainerConfig } from '@proclens/shared';

/** The engine writes "0001-01-01T00:00:00Z" for "never". */
function parseEngineTime(text: string | undefined): number | null {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/**
 * `docker inspect` (Docker's API, or Podman's compatible one) in the project's own terms: the one
 * place dockerode's shapes are read, so the rest of the server never sees them. Pure.
 */
export function parseDockerInspect(inspect: ContainerInspectInfo): ContainerConfig {
  const entrypoint = inspect.Config?.Entrypoint;
  const cmd = inspect.Config?.Cmd;
  return {
    startedAt: parseEngineTime(inspect.State?.StartedAt),
    finishedAt: parseEngineTime(inspect.State?.FinishedAt),
    restartCount: inspect.RestartCount ?? 0,
    command: [...(Array.isArray(entrypoint) ? entrypoint : entrypoint ? [entrypoint] : []), ...(Array.isArray(cmd) ? cmd : cmd ? [cmd] : [])],
    user: inspect.Config?.User ?? '',
    workingDir: inspect.Config?.WorkingDir ?? '',
    init: (inspect.HostConfig as { Init?: boolean | null } | undefined)?.Init === true,
    networkMode: inspect.HostConfig?.NetworkMode ?? '',
    env: (inspect.Config?.Env ?? []).map(parseEnvEntry),
    mounts: (inspect.Mounts ?? []).map((m) => ({ type: m.Type ?? '', source: m.Source ?? '', destination: m.Destination ?? '', readWrite: m.RW !== false })),
    ports: Object.entries(inspect.NetworkSettings?.Ports ?? {}).flatMap(([port, bindings]) =>
      (bindings ?? []).map((b) => ({ container: port, hostIp: b.HostIp ?? '', hostPort: b.HostPort ?? '' })),
    ),
    labels: inspect.Config?.Labels ?? {},
  };
}
