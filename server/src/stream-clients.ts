import { MAX_MARKERS, MAX_TIMELINE_EVENTS, PROTOCOL_VERSION, parseClientMessage } from '@proclens/shared';
import type { ClientMessage, PlaybackState, ServerMessage, Snapshot } from '@proclens/shared';
import type { Role } from './access.ts';
import { diffOnce } from './diff-once.ts';
import type { Logger } from './logger.ts';
import { isPlayable } from './player.ts';
import type { Playable } from './player.ts';
import { RateGate } from './rate-gate.ts';
import { ShareRoom } from './share-room.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';
import { takeToken } from './take-token.ts';
import type { BucketRate, TokenBucket } from './take-token.ts';

/** Past this many unsent bytes a client gets nothing more (errors included), and one fresh snapshot once it drains. */
export const MAX_BUFFERED_BYTES = 1 << 20;
/** A client is answered at most one resync per this many ms; more requests meanwhile get one snapshot at the end. */
export const RESYNC_GAP_MS = 1000;
/** This many malformed frames and the client is closed with 1008 (policy violation). */
export const MAX_BAD_FRAMES = 5;
export const HEARTBEAT_MS = 15_000;
/** Frames other than resync a client may send at once, then one per RATE_GAP_MS (the last one over is kept). */
export const RATE_BURST = 20;
export const RATE_GAP_MS = 50;
/**
 * Every frame a client may send (messages and pings, before the gate above): a burst, then a
 * steady rate, far above what the web app sends (a presenter's view every 80 ms, a seek every
 * drag step). A client sending thousands a second once starved every other client and made
 * upgrades wait seconds; past this it is closed with 1008.
 */
export const CLIENT_FRAME_RATE: BucketRate = { capacity: 100, perSecond: 50 };

/** What the stream needs of a socket: `ws` in production, a plain object in tests. */
export interface Connection {
  send(text: string): void;
  readonly bufferedAmount: number;
  isOpen(): boolean;
  close(code: number, reason: string): void;
  ping(): void;
  /** Answers a client's ping: ws's automatic pong is off, so a ping flood meets the frame rate like any other frame. */
  pong(data: Buffer): void;
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
  /** What is left of the client's CLIENT_FRAME_RATE. */
  frames: TokenBucket | undefined;
  lastResyncAt: number;
  resyncTimer: ReturnType<typeof setTimeout> | undefined;
  /** Audience only: follows the presenter (the default) or has broken away. */
  following: boolean;
  gate: RateGate;
}

/** What every connection is told after its first snapshot. */
export interface SessionInfo {
  share: boolean;
  mode: 'live' | 'replay';
  /** With `--share`: the audience's address, told to presenters only (the page shows its QR code). */
  audienceUrl: string | null;
}

export interface ClientsOptions {
  feed: SnapshotFeed;
  log: Logger;
  session?: SessionInfo;
  now?: () => number;
}

/** What an audience page is told when it tries what only the presenter may do. */
const PRESENTER_ONLY = 'only the presenter can do that: this page has the audience token';

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
  private readonly player: (SnapshotFeed & Playable) | null;
  private readonly room: ShareRoom;
  private readonly session: SessionInfo;

  constructor(private readonly options: ClientsOptions) {
    this.now = options.now ?? Date.now;
    this.session = options.session ?? { share: false, mode: 'live', audienceUrl: null };
    const unsubscribers = [options.feed.subscribe((next, previous) => this.broadcast(next, previous))];
    this.player = isPlayable(options.feed) ? options.feed : null;
    if (this.player) {
      unsubscribers.push(this.player.onPlayback((state, change) => this.broadcastPlayback(state, change.jumped)));
      unsubscribers.push(this.player.onMarkers(() => this.broadcastText(this.markersJson())));
    }
    this.unsubscribe = () => unsubscribers.forEach((fn) => fn());
    this.room = new ShareRoom(() => this.clients, {
      sendView: (json) => this.broadcastText(json, 'audience'),
      // Without --share there is no audience to count.
      sendPresence: (json) => this.session.share && this.broadcastText(json, 'presenter'),
    });
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
  }

  get size(): number {
    return this.clients.size;
  }

  /** A new connection: it gets the current snapshot at once. Returns the handlers for its frames and close. */
  connect(connection: Connection, role: Role): { message: (text: string | null) => void; ping: (data: Buffer) => void; pong: () => void; closed: () => void } {
    const client: Client = {
      connection,
      role,
      seq: -1,
      stale: false,
      alive: true,
      badFrames: 0,
      frames: undefined,
      lastResyncAt: -Infinity,
      resyncTimer: undefined,
      following: role === 'audience',
      gate: new RateGate(RATE_BURST, RATE_GAP_MS, this.now),
    };
    this.clients.add(client);
    if (!this.sendSnapshotOnly(client)) client.stale = true;
    const audienceUrl = role === 'presenter' ? this.session.audienceUrl : null;
    this.sendMessage(client, { type: 'session', role, share: this.session.share, mode: this.session.mode, audienceUrl });
    if (this.player) {
      this.sendPlayhead(client);
      this.send(client, this.markersJson());
    }
    if (role === 'audience') this.send(client, this.room.viewMessage());
    else if (this.session.share) this.send(client, this.room.presenceMessage());
    this.room.membersChanged();
    return {
      message: (text) => this.receive(client, text),
      ping: (data) => this.answerPing(client, data),
      pong: () => (client.alive = true),
      closed: () => this.drop(client),
    };
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    this.room.close();
    for (const client of [...this.clients]) {
      client.connection.close(1001, 'server shutting down');
      this.drop(client);
    }
  }

  private drop(client: Client): void {
    clearTimeout(client.resyncTimer);
    client.gate.close();
    if (this.clients.delete(client)) this.room.membersChanged();
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

  /** The snapshot message alone; false when the client is over its bound (it gets one later). */
  private sendSnapshotOnly(client: Client): boolean {
    if (client.connection.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.stale = true;
      return false;
    }
    client.stale = false;
    client.seq++;
    if (this.send(client, `{"type":"snapshot","protocol":${PROTOCOL_VERSION},"seq":${client.seq},"snapshot":${this.snapshotJson()}}`)) return true;
    client.seq--;
    return false;
  }

  /** After a resync or a stall: whatever was missed, the playhead and the timeline up to it come with the snapshot. */
  private sendSnapshot(client: Client): void {
    if (this.sendSnapshotOnly(client)) this.sendPlayhead(client);
  }

  private sendPlayhead(client: Client): void {
    if (!this.player) return;
    this.sendMessage(client, { type: 'playback', state: this.player.playback() });
    this.send(client, this.timelineJson());
  }

  private markersJson(): string {
    return JSON.stringify({ type: 'markers', markers: this.player?.markers(MAX_MARKERS) ?? [] });
  }

  private timelineJson(): string {
    return JSON.stringify({ type: 'timeline', events: this.player?.timeline(MAX_TIMELINE_EVENTS) ?? [] });
  }

  /** One text to every client (or every client of a role) within its bound; a stale client gets it with its next snapshot. */
  private broadcastText(json: string, role?: Role): void {
    for (const client of this.clients) {
      if ((role === undefined || client.role === role) && !client.stale) this.send(client, json);
    }
  }

  /** After the playhead moved, paused or played: its state, and after a jump the timeline up to it. */
  private broadcastPlayback(state: PlaybackState, jumped: boolean): void {
    this.broadcastText(JSON.stringify({ type: 'playback', state }));
    if (jumped) this.broadcastText(this.timelineJson());
  }

  private broadcast(next: Snapshot, previous: Snapshot): void {
    if (this.clients.size === 0) return;
    const diff = diffOnce(previous, next);
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
    // ws still delivers what arrives while its close handshake runs: a client closed for
    // malformed frames must not be answered, counted or logged again for each one it keeps sending.
    if (!this.clients.has(client) || !this.withinRate(client)) return;
    const parsed = text === null ? { ok: false as const, error: 'binary frames are not accepted' } : parseClientMessage(text);
    if (!parsed.ok) {
      client.badFrames++;
      if (client.badFrames >= MAX_BAD_FRAMES) return this.expel(client, 'too many malformed messages');
      this.sendMessage(client, { type: 'error', message: parsed.error });
      return;
    }
    this.handle(client, parsed.value);
  }

  /**
   * A ping is a frame like any other: within the rate it is answered (within the client's bound),
   * past it the client is closed with 1008. ws's own automatic pong would answer every one and
   * then, with 60 pongs unwritten, drop the connection without a close frame.
   */
  private answerPing(client: Client, data: Buffer): void {
    if (!this.clients.has(client) || !this.withinRate(client)) return;
    if (client.connection.isOpen() && client.connection.bufferedAmount <= MAX_BUFFERED_BYTES) client.connection.pong(data);
  }

  /** Counts one frame against the client's CLIENT_FRAME_RATE; past it, the client is closed. */
  private withinRate(client: Client): boolean {
    const taken = takeToken(client.frames, this.now(), CLIENT_FRAME_RATE);
    client.frames = taken.bucket;
    if (!taken.ok) this.expel(client, 'too many messages');
    return taken.ok;
  }

  /** Closes a client that broke the rules with 1008 (policy violation); it is served nothing more. */
  private expel(client: Client, reason: string): void {
    if (!this.clients.has(client)) return;
    this.options.log.warn('websocket closed', { reason, malformedFrames: client.badFrames });
    client.connection.close(1008, reason);
    this.drop(client);
  }

  private handle(client: Client, message: ClientMessage): void {
    if (message.type === 'resync') return this.resync(client);
    // Everything else passes the client's rate gate; a burst keeps its last frame for later.
    client.gate.pass(() => this.handleGated(client, message));
  }

  private handleGated(client: Client, message: Exclude<ClientMessage, { type: 'resync' }>): void {
    if (!this.clients.has(client)) return;
    switch (message.type) {
      case 'play':
      case 'pause':
      case 'speed':
      case 'seek':
      case 'live':
        if (client.role !== 'presenter') return this.sendMessage(client, { type: 'error', message: PRESENTER_ONLY });
        if (!this.player) return this.sendMessage(client, { type: 'error', message: 'this server keeps no history to play (--rewind 0)' });
        return this.player.control(message);
      case 'present':
        if (client.role !== 'presenter') return this.sendMessage(client, { type: 'error', message: PRESENTER_ONLY });
        return this.room.present(message.view);
      case 'follow':
        if (client.role !== 'audience' || client.following === message.following) return;
        client.following = message.following;
        return this.room.membersChanged();
      default:
        return assertNever(message);
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
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
