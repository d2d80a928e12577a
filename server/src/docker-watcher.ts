import { Agent } from 'node:https';
import Docker from 'dockerode';
import { z } from 'zod';
import { sameData } from '@proclens/shared';
import type { ContainerConfig, EngineKind, EngineStatus } from '@proclens/shared';
import type { ContainerEngine, EngineContainer } from './container-engine.ts';
import type { DockerEndpoint } from './docker-endpoint.ts';
import type { Logger } from './logger.ts';
import { parseDockerInspect } from './parse-docker-inspect.ts';
import { runOneAtATime } from './run-one-at-a-time.ts';

/** Reconnect delays grow from the first to the last, then stay there. */
const BACKOFF_MS = [250, 500, 1000, 2000, 4000];
/** Re-list even without events, in case one was missed. */
const RESYNC_MS = 10_000;
/** Several events arrive together (create, attach, start): one refresh serves them all. */
const EVENT_DEBOUNCE_MS = 30;
const REQUEST_TIMEOUT_MS = 5000;

/**
 * Keeps a live list of an engine's containers through the Docker API (Docker's own, or Podman's
 * compatible one): lists them, follows the event stream, and when the engine goes away, reports
 * it and reconnects with backoff. Never throws to callers.
 */
export class DockerWatcher implements ContainerEngine {
  private readonly docker: Docker;
  /** The event stream is idle for long stretches: it must not share the requests' timeout. */
  private readonly eventsClient: Docker;
  private status: EngineStatus;
  private list: EngineContainer[] = [];
  private failures = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** When `timer` fires (while it is pending). */
  private dueAt = 0;
  private events: NodeJS.ReadableStream | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private readonly from: string;

  constructor(
    endpoint: DockerEndpoint,
    private readonly onChange: () => void,
    private readonly log: Logger,
    readonly kind: EngineKind = 'docker',
  ) {
    // DOCKER_TLS without DOCKER_TLS_VERIFY, or a context that skips verification: TLS that
    // accepts any certificate, as the docker CLI does then.
    const options = endpoint.tls === 'no-verify' ? { ...endpoint.options, agent: new Agent({ rejectUnauthorized: false }) } : endpoint.options;
    this.docker = new Docker({ ...options, timeout: REQUEST_TIMEOUT_MS });
    this.eventsClient = new Docker(options);
    this.from = endpoint.from;
    this.status = { kind, state: 'connecting', endpoint: endpoint.url, version: null, error: null };
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.closeEvents();
  }

  getStatus(): EngineStatus {
    return this.status;
  }

  getContainers(): EngineContainer[] {
    return this.list;
  }

  /** `docker inspect`, or null when the engine cannot be asked or the container is gone. */
  async inspect(id: string): Promise<ContainerConfig | null> {
    if (this.status.state !== 'connected') return null;
    try {
      return parseDockerInspect(await this.docker.getContainer(id).inspect());
    } catch {
      return null;
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const version = await this.docker.version();
      await this.refresh();
      const events = await this.eventsClient.getEvents({ filters: { type: ['container'] } });
      if (this.stopped) return void (events as unknown as { destroy?: () => void }).destroy?.();
      this.events = events;
      const logEvents = this.log.enabled('debug') ? this.logEvents() : null;
      events.on('data', (chunk: Buffer | string) => {
        logEvents?.(String(chunk));
        this.scheduleRefresh(EVENT_DEBOUNCE_MS);
      });
      events.on('error', (err: Error) => this.disconnected(err));
      events.on('end', () => this.disconnected(new Error('event stream ended')));
      this.failures = 0;
      this.setStatus({ state: 'connected', version: version.Version ?? null, error: null });
      this.log.info(`${this.kind} connected`, { endpoint: this.status.endpoint, from: this.from, version: version.Version });
      this.scheduleRefresh(RESYNC_MS, true);
    } catch (err) {
      this.disconnected(err);
    }
  }

  /** With --verbose, each engine event as one log line (the stream is JSON lines, split anywhere). */
  private logEvents(): (chunk: string) => void {
    let pending = '';
    return (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseEngineEvent(line);
        if (event) this.log.debug('engine event', { engine: this.kind, ...event });
      }
    };
  }

  private disconnected(err: unknown): void {
    if (this.stopped) return;
    this.closeEvents();
    const message = err instanceof Error ? err.message : String(err);
    if (this.status.state !== 'disconnected') this.log.warn(`${this.kind} unreachable`, { endpoint: this.status.endpoint, from: this.from, error: message });
    this.list = [];
    this.setStatus({ state: 'disconnected', version: null, error: message });
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)] ?? 4000;
    this.failures++;
    clearTimeout(this.timer);
    this.dueAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delay);
  }

  /**
   * Refreshes after `delay` (an event's debounce, or the periodic resync). A resync never replaces
   * a sooner refresh: an event that arrives while a refresh is listing (`docker rm -f` sends kill,
   * die and destroy within moments) must still get its own list, or the removed container stays
   * listed until the next resync.
   */
  private scheduleRefresh(delay: number, unlessSooner = false): void {
    const due = Date.now() + delay;
    if (unlessSooner && this.timer !== undefined && this.dueAt <= due) return;
    clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh()
        .then(() => this.scheduleRefresh(RESYNC_MS, true))
        .catch((err: unknown) => this.disconnected(err));
    }, delay);
  }

  /** One refresh at a time; a request during one runs once more after it. */
  private readonly refresh = runOneAtATime(async () => {
    const list = await this.listContainers();
    // A resync that finds nothing new must not cost the monitor an extra tick.
    if (!sameData(list, this.list)) {
      this.list = list;
      this.onChange();
    }
  });

  private async listContainers(): Promise<EngineContainer[]> {
    const summaries = await this.docker.listContainers({ all: true });
    const containers = await Promise.all(
      summaries.map(async (c): Promise<EngineContainer> => {
        // The init's host pid is only in inspect; a container may vanish between list and inspect.
        const pid = c.State === 'running' || c.State === 'paused' ? await this.readInitPid(c.Id) : null;
        return {
          id: c.Id,
          engine: this.kind,
          // Docker runs its containers in containerd's `moby` namespace; Podman uses no containerd.
          namespace: this.kind === 'docker' ? 'moby' : null,
          source: 'api',
          exitCode: parseExitCode(c.Status),
          name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
          image: c.Image,
          state: c.State,
          status: c.Status,
          command: c.Command,
          created: c.Created * 1000,
          pid,
          labels: c.Labels ?? {},
        };
      }),
    );
    return containers.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async readInitPid(id: string): Promise<number | null> {
    try {
      const pid = (await this.docker.getContainer(id).inspect()).State.Pid;
      return pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  private setStatus(change: Partial<EngineStatus>): void {
    const status = { ...this.status, ...change };
    if (sameData(status, this.status)) return;
    this.status = status;
    this.onChange();
  }

  private closeEvents(): void {
    const events = this.events as unknown as { destroy?: () => void; removeAllListeners?: () => void } | undefined;
    this.events = undefined;
    events?.removeAllListeners?.();
    // destroy() may still emit 'error'; with no listener that would throw.
    (events as NodeJS.EventEmitter | undefined)?.on?.('error', () => undefined);
    events?.destroy?.();
  }
}

const eventSchema = z
  .object({
    Type: z.string(),
    Action: z.string(),
    Actor: z.object({ ID: z.string(), Attributes: z.record(z.string(), z.string()).optional() }).passthrough(),
  })
  .passthrough();

/** One line of the engine's event stream → what a log line says about it, or null if it is not an event. */
export function parseEngineEvent(line: string): { type: string; action: string; id: string; name: string | null } | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const event = eventSchema.safeParse(json);
  if (!event.success) return null;
  const { Type, Action, Actor } = event.data;
  return { type: Type, action: Action, id: Actor.ID.slice(0, 12), name: Actor.Attributes?.name ?? null };
}

/** `Exited (137) 3 seconds ago` → 137: the list already says it, no inspect needed. */
export function parseExitCode(status: string): number | null {
  const match = /^Exited \((\d{1,3})\)/.exec(status);
  return match ? Number(match[1]) : null;
}
