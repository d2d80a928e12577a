import type { DockerOptions } from 'dockerode';

export interface DockerEndpoint {
  /** As users write it: `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2376`. */
  url: string;
  /** Where it was found, for the log and the error: `DOCKER_HOST`, `context "rootless" (DOCKER_CONTEXT)`… */
  from: string;
  /** Whether the connection is TLS, and whether the engine's certificate is checked. */
  tls: 'verify' | 'no-verify' | null;
  options: DockerOptions;
}

/** Client TLS material in PEM, as the docker CLI keeps it (`ca.pem`, `cert.pem`, `key.pem`). */
export interface DockerTls {
  /** Check the engine's certificate against `ca` (`DOCKER_TLS_VERIFY`); otherwise accept any. */
  verify: boolean;
  ca: string | null;
  cert: string | null;
  key: string | null;
}

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
/** The docker CLI's port for `tcp://host` without one. */
const DEFAULT_TCP_PORT = 2375;

/**
 * Why an `ssh://` engine is refused: the docker CLI tunnels to a remote engine, but proclens joins
 * the engine's containers to the processes in *this* host's /proc, so a remote engine's containers
 * would match nothing here.
 */
export const SSH_REFUSAL =
  'proclens reads /proc, so it must run on the engine’s own host (a remote engine’s containers match no process here): run proclens on that host and forward its port (ssh -L 7700:127.0.0.1:7700 HOST), or give a local socket with --docker-host';

/**
 * Turns an engine address into dockerode options. Every connection field is set, even to
 * undefined: docker-modem merges its own reading of DOCKER_HOST and DOCKER_CERT_PATH under what
 * it is given, and must not mix them with this endpoint. Throws a readable error for an address
 * it cannot use. Pure.
 */
export function parseDockerEndpoint(value: string | undefined, tls: DockerTls | null = null, from = '--docker-host'): DockerEndpoint {
  const url = value && value.trim() !== '' ? value.trim() : `unix://${DEFAULT_DOCKER_SOCKET}`;
  const none = { host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined };
  const unix = url.startsWith('unix://') ? url.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET : url.startsWith('/') ? url : null;
  if (unix !== null) return { url: url.startsWith('/') ? `unix://${url}` : url, from, tls: null, options: { ...none, socketPath: unix, protocol: 'http' } };
  if (url.startsWith('ssh://')) throw new Error(`cannot use Docker host "${url}" (${from}): ${SSH_REFUSAL}`);
  const tcp = /^(tcp|http|https):\/\/([^:/[\]]*|\[[^\]]+\])(?::(\d+))?\/?$/.exec(url);
  if (tcp) {
    const useTls = tcp[1] === 'https' || tls !== null;
    const options: DockerOptions = {
      ...none,
      socketPath: undefined,
      protocol: useTls ? 'https' : 'http',
      host: tcp[2] || 'localhost',
      port: tcp[3] ? Number(tcp[3]) : DEFAULT_TCP_PORT,
    };
    if (tls) {
      options.ca = tls.ca ?? undefined;
      options.cert = tls.cert ?? undefined;
      options.key = tls.key ?? undefined;
    }
    return { url, from, tls: useTls ? (tls && !tls.verify ? 'no-verify' : 'verify') : null, options };
  }
  throw new Error(`cannot use Docker host "${url}" (${from}): expected unix:///path/to/docker.sock or tcp://host:port`);
}
