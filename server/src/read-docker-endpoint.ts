import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { DockerEndpoint } from './docker-endpoint.ts';
import { resolveDockerEndpoint } from './resolve-docker-endpoint.ts';

/** The engine as the docker CLI would find it, from this process's environment and files. */
export function readDockerEndpoint(explicit: string | null, env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  return resolveDockerEndpoint({ ...env, HOME: env.HOME || os.homedir() }, readTextOrNull, explicit);
}

function readTextOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
