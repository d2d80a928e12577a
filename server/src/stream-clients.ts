import { PROTOCOL_VERSION, diffSnapshots, parseClientMessage } from '@proclens/shared';
import type { ClientMessage, ServerMessage, Snapshot } from '@proclens/shared';
import type { Role } from './access.ts';
import type { Logger } from './logger.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';

/** Past this many unsent bytes a client gets nothing more (errors included), and one fresh snapshot once it drains. */
export const MAX_BUFFERED_BYTES = 1 << 20;
/** A client is answered at most one resync per this many ms; more requests meanwhile get one snapshot at the end. */
export const RESYNC_GAP_MS = 1000;
/** This many malformed frames and the client is closed with 1008 (policy violation). */
export const MAX_BAD_FRAMES = 5;
export const HEARTBEAT_MS = 15_000;

/** What the stream needs of a socket: `ws` in production, a plain object in tests. */
export interface Connection {
  send(text: string): void;
  readonly bufferedAmount: number;
  isOpen(): boolean;
  close(code: number, reason: string): void;
  ping(): void;
  terminate(): void;
}

interface Client {
  connection: Connection;
  role: Role;
  seq: number;
  /** Something was not sent: the next message must be a snapshot. */
  stale: boolean;
  alive: boolean;
  badFrames: number;
  lastResyncAt: number;
  resyncTimer: ReturnType<typeof setTimeout> | undefined;
}

export interface ClientsOptions {
  feed: SnapshotFeed;
  log: Logger;
  now?: () => number;
}

/**
 * The clients of one feed: a snapshot on connect, then one diff per changed tick, numbered by
 * `seq`. Each diff and each snapshot is serialised once for all clients. Every frame counts
 * against a client's buffer bound, so a client that stops reading costs at most the bound.
 */
export class StreamClients {
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly now: () => number;
  /** The JSON of the feed's current snapshot, made once however many clients need it. */
  private serialised: { snapshot: Snapshot; json: string } | null = null;

  constructor(private readonly options: ClientsOptions) {
    this.now = options.now ?? Date.now;
    this.unsubscribe = options.feed.subscribe((next, previous) => this.broadcast(next, previous));
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
  }

  get size(): number {
    return this.clients.size;
  }

  /** A new connection: it gets the current snapshot at once. Returns the handlers for its frames and close. */
  connect(connection: Connection, role: Role): { message: (text: string | null) => void; pong: () => void; closed: () => void } {
    const client: Client = { connection, role, seq: -1, stale: false, alive: true, badFrames: 0, lastResyncAt: -Infinity, resyncTimer: undefined };
    this.clients.add(client);
    this.sendSnapshot(client);
    return {
      message: (text) => this.receive(client, text),
      pong: () => (client.alive = true),
      closed: () => this.drop(client),
    };
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const client of [...this.clients]) {
      client.connection.close(1001, 'server shutting down');
      this.drop(client);
    }
  }

  private drop(client: Client): void {
    clearTimeout(client.resyncTimer);
    this.clients.delete(client);
  }

  /** Sends if the client is within its bound; otherwise marks it stale. Every frame goes through here. */
  private send(client: Client, text: string): boolean {
    if (!client.connection.isOpen()) return false;
    if (client.connection.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.stale = true;
      return false;
    }
    client.connection.send(text);
    return true;
  }

  private sendMessage(client: Client, message: ServerMessage): void {
    this.send(client, JSON.stringify(message));
  }

  private snapshotJson(): string {
    const snapshot = this.options.feed.current();
    if (this.serialised?.snapshot !== snapshot) this.serialised = { snapshot, json: JSON.stringify(snapshot) };
    return this.serialised.json;
  }

  private sendSnapshot(client: Client): void {
    if (client.connection.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.stale = true;
      return;
    }
    client.stale = false;
    client.seq++;
    if (!this.send(client, `{"type":"snapshot","protocol":${PROTOCOL_VERSION},"seq":${client.seq},"snapshot":${this.snapshotJson()}}`)) client.seq--;
  }

  private broadcast(next: Snapshot, previous: Snapshot): void {
    if (this.clients.size === 0) return;
    const diff = diffSnapshots(previous, next);
    // Serialised once; only `seq` differs per client.
    const body = diff ? JSON.stringify(diff) : null;
    for (const client of this.clients) {
      if (!client.connection.isOpen()) continue;
      if (client.stale) this.sendSnapshot(client);
      else if (body !== null) {
        if (this.send(client, `{"type":"diff","seq":${client.seq + 1},"diff":${body}}`)) client.seq++;
      }
    }
  }

  private receive(client: Client, text: string | null): void {
    const parsed = text === null ? { ok: false as const, error: 'binary frames are not accepted' } : parseClientMessage(text);
    if (!parsed.ok) {
      client.badFrames++;
      if (client.badFrames >= MAX_BAD_FRAMES) {
        this.options.log.warn('websocket closed after malformed frames', { frames: client.badFrames });
        client.connection.close(1008, 'too many malformed messages');
        this.drop(client);
        return;
      }
      this.sendMessage(client, { type: 'error', message: parsed.error });
      return;
    }
    this.handle(client, parsed.value);
  }

  private handle(client: Client, message: ClientMessage): void {
    switch (message.type) {
      case 'resync':
        return this.resync(client);
      default:
        return assertNever(message.type);
    }
  }

  /**
   * At most one snapshot per RESYNC_GAP_MS per client: requests in between are folded into one
   * answer at the end of the gap (48,000 answered resyncs once cost 1.3 GiB in 10 s).
   */
  private resync(client: Client): void {
    if (client.resyncTimer !== undefined) return;
    const wait = client.lastResyncAt + RESYNC_GAP_MS - this.now();
    const answer = (): void => {
      client.resyncTimer = undefined;
      client.lastResyncAt = this.now();
      this.sendSnapshot(client);
    };
    if (wait <= 0) answer();
    else client.resyncTimer = setTimeout(answer, wait);
  }

  private beat(): void {
    for (const client of [...this.clients]) {
      if (!client.alive) {
        client.connection.terminate();
        this.drop(client);
        continue;
      }
      client.alive = false;
      client.connection.ping();
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled message type ${String(value)}`);
}
