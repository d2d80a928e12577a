import type { RuntimeRole } from '@proclens/shared';

const LABELS: Record<RuntimeRole, string> = {
  dockerd: 'Docker engine',
  containerd: 'container supervisor',
  shim: 'shim',
  runc: 'OCI runtime',
  'docker-init': 'init (tini)',
  'docker-proxy': 'port proxy',
  conmon: 'Podman monitor',
  podman: 'Podman',
  rootlesskit: 'rootless namespaces',
};

const EXPLANATIONS: Record<RuntimeRole, string> = {
  dockerd: 'dockerd is the Docker engine: it serves the API the docker CLI talks to, and asks containerd to run containers.',
  containerd: 'containerd manages container lifecycles: it pulls images, prepares filesystems, and starts one shim per container.',
  shim: 'The shim keeps a container running when containerd restarts: it holds the container’s stdio and exit status. It re-parents itself to pid 1, so the runtime link is drawn dashed.',
  runc: 'runc creates the container (namespaces, cgroups, the root filesystem), starts its first process, then exits.',
  'docker-init': 'docker-init (tini) is a tiny init started with `docker run --init`: it reaps zombies and forwards signals.',
  'docker-proxy': 'docker-proxy forwards a published port from the host to the container.',
  conmon:
    'conmon is Podman’s per-container monitor, playing the shim’s part: it re-parents itself to pid 1 and holds the container’s stdio and exit status. `podman exec` starts one more conmon for the session.',
  podman:
    'podman is Podman’s command; `podman system service` serves its Docker-compatible API. Podman has no daemon that starts containers: a conmon re-parented to pid 1 keeps each one, so the link from the service is drawn dashed.',
  rootlesskit:
    'rootlesskit runs rootless Docker: it makes a user namespace (root inside is an ordinary user outside), a mount and a network namespace (slirp4netns), then re-executes itself as /proc/self/exe to start dockerd there.',
};

export function roleLabel(role: RuntimeRole): string {
  return LABELS[role];
}

export function roleExplanation(role: RuntimeRole): string {
  return EXPLANATIONS[role];
}
