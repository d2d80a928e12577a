import type { ContainerInfo } from '@proclens/shared';

const ENGINE_NAMES: Record<ContainerInfo['engine'], string> = { docker: 'Docker', podman: 'Podman', containerd: 'containerd' };

/** `Docker`, `Podman`, `containerd`. */
export function engineName(kind: ContainerInfo['engine']): string {
  return ENGINE_NAMES[kind];
}
const API_NAMES: Record<ContainerInfo['engine'], string> = {
  docker: "Docker's API",
  podman: "Podman's Docker-compatible API",
  containerd: "containerd's API (its own metadata)",
};

/** `Podman`, `containerd · k8s.io`: which engine owns a container, as short as the card allows. Pure. */
export function formatEngine(c: ContainerInfo): string {
  const showNamespace = c.namespace !== null && !(c.engine === 'docker' && c.namespace === 'moby');
  return showNamespace ? `${ENGINE_NAMES[c.engine]} · ${c.namespace}` : ENGINE_NAMES[c.engine];
}

/** Where the facts shown about a container came from: an engine's API, or /proc alone. Pure. */
export function formatSource(c: ContainerInfo): string {
  if (c.source === 'api') return `from ${API_NAMES[c.engine]}`;
  const runtime = c.engine === 'podman' ? "conmon's" : "shim's";
  return `from /proc and the ${runtime} arguments: no engine API answered for it`;
}

/** The Kubernetes pod a container belongs to, from the CRI labels containerd keeps; null without them. Pure. */
export function formatPod(c: ContainerInfo): string | null {
  const pod = c.labels['io.kubernetes.pod.name'];
  if (!pod) return null;
  const namespace = c.labels['io.kubernetes.pod.namespace'];
  const container = c.labels['io.kubernetes.container.name'];
  return `pod ${namespace ? `${namespace}/` : ''}${pod}${container ? ` · container ${container}` : ''}`;
}

/** The runtime's own command that lists the same processes, to run by hand. Pure. */
export function formatTopCommand(c: ContainerInfo): string {
  if (c.engine === 'containerd') return `ctr -n ${c.namespace ?? 'default'} task ps ${c.id}`;
  return `${c.engine} top ${c.name}`;
}
