import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { parseDockerEndpoint } from './docker-endpoint.ts';
import type { DockerEndpoint, DockerTls } from './docker-endpoint.ts';

/** A file's text, or null when it does not exist or cannot be read. */
export type ReadTextFile = (file: string) => string | null;

/** `~/.docker/config.json`: only the current context matters here. */
const configSchema = z.object({ currentContext: z.string().optional() }).passthrough();
/** `~/.docker/contexts/meta/<sha256 of name>/meta.json`, as `docker context create` writes it. */
const metaSchema = z
  .object({
    Name: z.string(),
    Endpoints: z.object({ docker: z.object({ Host: z.string(), SkipTLSVerify: z.boolean().optional() }).passthrough() }).passthrough(),
  })
  .passthrough();

/**
 * Finds the Docker engine the way the docker CLI does (docker/cli `resolveContextName` and the
 * default context):
 *
 * 1. `--docker-host`, else `DOCKER_HOST` (`explicit`, as the settings resolved it), with TLS from
 *    `DOCKER_TLS_VERIFY` / `DOCKER_TLS` and the PEM files in `DOCKER_CERT_PATH` (default the config
 *    folder);
 * 2. else the context `DOCKER_CONTEXT` names, else the config file's `currentContext`: its
 *    endpoint from `contexts/meta/<sha256 of name>/meta.json` and its TLS material from
 *    `contexts/tls/<sha256 of name>/docker/` under the config folder (`DOCKER_CONFIG`, default
 *    `~/.docker`);
 * 3. else (or for the context named `default`) `unix:///var/run/docker.sock`, with the TLS
 *    variables as in 1.
 *
 * Pure: the environment and a file reader in, an endpoint out. Throws a readable error for a
 * context that does not exist, an unreadable config, missing certificates, or an ssh:// host.
 */
export function resolveDockerEndpoint(env: Readonly<Record<string, string | undefined>>, files: ReadTextFile, explicit: string | null = null): DockerEndpoint {
  const configDir = env.DOCKER_CONFIG || path.join(env.HOME || '/root', '.docker');
  if (explicit) {
    const from = explicit === env.DOCKER_HOST ? 'DOCKER_HOST' : '--docker-host';
    return parseDockerEndpoint(explicit, readEnvTls(env, files, configDir, explicit), from);
  }
  const configFile = path.join(configDir, 'config.json');
  let name = env.DOCKER_CONTEXT || null;
  let from = `context "${name}" (DOCKER_CONTEXT)`;
  if (!name) {
    const text = files(configFile);
    if (text !== null) {
      const config = configSchema.safeParse(parseJson(text));
      if (!config.success) throw new Error(`cannot read ${configFile}: not a docker CLI config file`);
      name = config.data.currentContext || null;
      from = `context "${name}" (${configFile})`;
    }
  }
  if (!name || name === 'default') return parseDockerEndpoint(undefined, readEnvTls(env, files, configDir, null), name ? from : 'the default socket');

  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts/meta', id, 'meta.json');
  const text = files(metaFile);
  if (text === null) throw new Error(`Docker ${from} does not exist: no ${metaFile} ("docker context ls" lists the contexts)`);
  const meta = metaSchema.safeParse(parseJson(text));
  if (!meta.success) throw new Error(`cannot read Docker ${from}: ${metaFile} has no docker endpoint`);
  const docker = meta.data.Endpoints.docker;
  const tlsDir = path.join(configDir, 'contexts/tls', id, 'docker');
  const ca = files(path.join(tlsDir, 'ca.pem'));
  const cert = files(path.join(tlsDir, 'cert.pem'));
  const key = files(path.join(tlsDir, 'key.pem'));
  // A context has TLS when it holds TLS material or says to skip verification.
  const tls: DockerTls | null = ca !== null || cert !== null || key !== null || docker.SkipTLSVerify ? { verify: !docker.SkipTLSVerify, ca, cert, key } : null;
  return parseDockerEndpoint(docker.Host, tls, from);
}

/**
 * The default context's TLS: on with `DOCKER_TLS_VERIFY` (checks the engine against `ca.pem`) or
 * `DOCKER_TLS` (does not), any non-empty value, as the docker CLI reads them. Only tcp:// uses it.
 */
function readEnvTls(env: Readonly<Record<string, string | undefined>>, files: ReadTextFile, configDir: string, host: string | null): DockerTls | null {
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return null;
  if (!host || !/^(tcp|https?):\/\//.test(host.trim())) return null;
  const dir = env.DOCKER_CERT_PATH || configDir;
  const ca = files(path.join(dir, 'ca.pem'));
  const cert = files(path.join(dir, 'cert.pem'));
  const key = files(path.join(dir, 'key.pem'));
  if (verify && ca === null) throw new Error(`DOCKER_TLS_VERIFY is set but there is no ${path.join(dir, 'ca.pem')} (DOCKER_CERT_PATH names the folder)`);
  if ((cert === null) !== (key === null))
    throw new Error(`TLS client certificate and key go together: ${path.join(dir, cert === null ? 'cert.pem' : 'key.pem')} is missing`);
  return { verify, ca, cert, key };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
