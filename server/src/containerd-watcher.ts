import { sameData } from '@proclens/shared';
import type { ContainerConfig, ContainerdEndpoint, EngineStatus } from '@proclens/shared';
import type { ContainerEngine, EngineContainer } from './container-engine.ts';
import { isSocket } from './is-socket.ts';
import type { Logger } from './logger.ts';
import { parseContainerdConfig, parseContainerdList, parseContainerdNamespaces, parseContainerdVersion } from './parse-containerd.ts';
import { ContainerdClient } from './read-containerd.ts';
import { runOneAtATime } from './run-one-at-a-time.ts';
import { readProcLink } from './read-proc-file.ts';

/** Where a system containerd listens (Kubernetes nodes): asked even before a shim names it. */
export const DEFAULT_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';
/** Re-list even when no shim came or went: a container may be created without a task. */
const RESYNC_MS = 10_000;
/** Shims come in bursts (one per container of a pod): one refresh serves them. */
const WATCH_DEBOUNCE_MS = 50;
/** sun_path holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH = 107;
/** Docker's own namespace: its containers come from Docker's API. */
const DOCKER_NAMESPACE = 'moby';

interface Located {
  client: ContainerdClient;
  namespace: string;
}

/**
 * Containers from containerd's own metadata, for containers run without Docker (`ctr`, nerdctl,
 * Kubernetes through the CRI): Containers.List and Tasks.List in every namespace but Docker's, over
 * each containerd socket the shims name (`watch`, fed from the snapshot) and the default socket.
 * This is where a pod's CRI labels (`io.kubernetes.pod.name`…) come from: they are not in /proc.
 * Read-only calls only. A socket is dialled through `/proc/<containerd>/root` when containerd runs
 * in another mount namespace (rootless, or proclens in a container). Never throws to callers.
 */
export class ContainerdWatcher implements ContainerEngine {
  readonly kind = 'containerd';
  private endpoints: ContainerdEndpoint[] = [];
  private readonly clients = new Map<string, ContainerdClient>();
  private located = new Map<string, Located>();
  private list: EngineContainer[] = [];
  private status: EngineStatus;
  private resync: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly procRoot: string,
    private readonly onChange: () => void,
    private readonly log: Logger,
    private readonly defaultSocket = DEFAULT_CONTAINERD_SOCKET,
  ) {
    this.status = { kind: 'containerd', state: 'connecting', endpoint: this.describe([]), version: null, error: null };
  }

  start(): void {
    void this.refresh();
    this.resync = setInterval(() => void this.refresh(), RESYNC_MS);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.resync);
    clearTimeout(this.soon);
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  /** The containerd sockets the shims name now; a change is looked at within moments. */
  watch(endpoints: readonly ContainerdEndpoint[]): void {
    if (sameData(endpoints, this.endpoints)) return;
    this.endpoints = [...endpoints];
    clearTimeout(this.soon);
    if (!this.stopped) this.soon = setTimeout(() => void this.refresh(), WATCH_DEBOUNCE_MS);
  }

  getStatus(): EngineStatus {
    return this.status;
  }

  getContainers(): EngineContainer[] {
    return this.list;
  }

  async inspect(id: string): Promise<ContainerConfig | null> {
    const at = this.located.get(id);
    if (!at) return null;
    try {
      return parseContainerdConfig(await at.client.call('container', { id }, at.namespace));
    } catch {
      return null;
    }
  }

  /** One refresh at a time; a request during one runs once more after it. Never rejects. */
  private readonly refreshOnce = runOneAtATime(() => this.listAll());
  private refresh(): Promise<void> {
    return this.refreshOnce().catch((err: unknown) => this.log.error('containerd refresh failed', { error: err instanceof Error ? err.message : String(err) }));
  }

  private async listAll(): Promise<void> {
    const targets = this.targets();
    for (const [path, client] of this.clients) {
      if (!targets.some((t) => t.dial === path)) {
        client.close();
        this.clients.delete(path);
      }
    }
    const list: EngineContainer[] = [];
    const located = new Map<string, Located>();
    const errors: string[] = [];
    let version: string | null = null;
    for (const target of targets) {
      if (target.dial === null) {
        errors.push(`${target.address}: no containerd listens there (its shims run on)`);
        continue;
      }
      const client = this.clients.get(target.dial) ?? new ContainerdClient(target.dial);
      this.clients.set(target.dial, client);
      try {
        version ??= parseContainerdVersion(await client.call('version', {}));
        for (const namespace of parseContainerdNamespaces(await client.call('namespaces', {}))) {
          if (namespace === DOCKER_NAMESPACE) continue;
          const [containers, tasks] = await Promise.all([client.call('containers', {}, namespace), client.call('tasks', {}, namespace)]);
          for (const c of parseContainerdList(namespace, containers, tasks)) {
            if (located.has(c.id)) continue;
            list.push(c);
            located.set(c.id, { client, namespace });
          }
        }
      } catch (err) {
        errors.push(`${target.address}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (this.stopped) return;
    this.located = located;
    list.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.id.localeCompare(b.id));
    const ok = targets.length - errors.length;
    const status: EngineStatus = {
      kind: 'containerd',
      state: targets.length === 0 ? 'connecting' : ok > 0 ? 'connected' : 'disconnected',
      endpoint: this.describe(targets.map((t) => t.address)),
      version,
      error: errors.length ? errors.join('; ') : null,
    };
    if (errors.length && !sameData(status.error, this.status.error)) this.log.warn('containerd unreachable', { error: status.error });
    const changed = !sameData(list, this.list) || !sameData(status, this.status);
    this.list = list;
    this.status = status;
    if (changed) this.onChange();
  }

  /**
   * The shims' sockets, plus the default one when it exists; each with the path to dial. A socket
   * is dialled only when a containerd process listens on it (per /proc): a shim's argv alone,
   * which anyone can write, never makes the server connect somewhere.
   */
  private targets(): Array<{ address: string; dial: string | null }> {
    const targets: Array<{ address: string; dial: string | null }> = this.endpoints.map((e) => ({ address: e.address, dial: this.dialPath(e) }));
    if (!targets.some((t) => t.address === this.defaultSocket) && isSocket(this.defaultSocket)) {
      targets.push({ address: this.defaultSocket, dial: this.defaultSocket });
    }
    return targets;
  }

  private dialPath(e: ContainerdEndpoint): string | null {
    if (e.pid === null) return null;
    const own = readProcLink(`${this.procRoot}/self/ns/mnt`);
    const theirs = readProcLink(`${this.procRoot}/${e.pid}/ns/mnt`);
    const through = `${this.procRoot}/${e.pid}/root${e.address}`;
    const elsewhere = own.ok && theirs.ok && own.value !== theirs.value;
    return elsewhere && Buffer.byteLength(through) <= MAX_SOCKET_PATH ? through : e.address;
  }

  private describe(addresses: readonly string[]): string {
    return addresses.length ? addresses.map((a) => `unix://${a}`).join(', ') : `no containerd outside Docker seen yet (${this.defaultSocket} absent)`;
  }
}
