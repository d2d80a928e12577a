import type { DockerOptions } from 'dockerode';

export interface DockerEndpoint {
  /** As users write it: `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2375`. */
  url: string;
  options: DockerOptions;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Turns `--docker-host`, else `DOCKER_HOST`, into dockerode options. Throws a readable error
 * for a scheme it cannot use.
 */
export function parseDockerEndpoint(value: string | undefined): DockerEndpoint {
  const url = value && value.trim() !== '' ? value.trim() : `unix://${DEFAULT_SOCKET}`;
  if (url.startsWith('unix://')) return { url, options: { socketPath: url.slice('unix://'.length) } };
  if (url.startsWith('/')) return { url: `unix://${url}`, options: { socketPath: url } };
  const tcp = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(url);
  if (tcp) {
    const protocol = tcp[1] === 'https' ? 'https' : 'http';
    return { url, options: { protocol, host: tcp[2] ?? '', port: Number(tcp[3]) } };
  }
  throw new Error(`cannot use Docker host "${url}": expected unix:///path/to/docker.sock or tcp://host:port`);
}
