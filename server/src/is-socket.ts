import { statSync } from 'node:fs';

/** Whether a unix socket exists at `path` (an engine's default socket is only used when it does). */
export function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}
