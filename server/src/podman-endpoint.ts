/** Where rootful Podman's API listens when its service (podman.socket) runs. */
export const DEFAULT_PODMAN_SOCKET = '/run/podman/podman.sock';

/**
 * Which Podman API to watch: `--podman-host` (or Podman's own `CONTAINER_HOST`, which the option
 * table reads), else the default socket when it exists, else none (Podman is not watched at all,
 * and its containers show from /proc through their conmons). Pure: whether the default socket
 * exists is passed in.
 */
export function parsePodmanHost(configured: string | null, defaultExists: boolean): string | null {
  if (configured !== null && configured.trim() !== '') return configured.trim();
  return defaultExists ? `unix://${DEFAULT_PODMAN_SOCKET}` : null;
}
