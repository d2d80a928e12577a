import { randomBytes } from 'node:crypto';
import { Events } from 'nats';
import type { JetStreamClient, NatsConnection } from 'nats';
import { PROTOCOL_VERSION, buildDiffSubject, buildStateSubject, diffSnapshots, initialPublishState, planPublish } from '@proclens/shared';
import type { HostBeatMessage, HostDiffMessage, HostSnapshotMessage, PublishState, Snapshot } from '@proclens/shared';
import type { Logger } from '../logger.ts';
import type { SnapshotFeed } from '../snapshot-feed.ts';
import { encodePayload } from './encode-payload.ts';

/** How often an agent says it is alive; the hub calls it stale after three missed beats. */
export const BEAT_MS = 5000;
/** A publish not acknowledged by JetStream within this counts as lost: the next message is a snapshot. */
const PUBLISH_TIMEOUT_MS = 5000;
/** A host may ask for a snapshot (the hub after a gap) at most this often. */
const RESYNC_GAP_MS = 5000;

export interface PublisherOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  /** The host's name at the hub (one subject token). */
  name: string;
  feed: SnapshotFeed;
  log: Logger;
  beatMs?: number;
  now?: () => number;
}

/**
 * Publishes one host to JetStream: a snapshot first, then a diff per changed tick, a fresh
 * snapshot when `planPublish` says so, and a beat every few seconds. While NATS is away nothing is
 * queued (the client's buffer would grow without bound); on reconnect a snapshot goes first.
 */
export class HostPublisher {
  /** Random per run: a restarted agent's diffs never apply to its previous run's snapshot. */
  readonly epoch = randomBytes(9).toString('base64url');
  private state: PublishState = initialPublishState();
  private seq = -1;
  /** What the hub holds once everything sent so far is stored: the base of the next diff. */
  private base: Snapshot | null = null;
  private connected = true;
  private problem: string | null = null;
  private lastResync = -Infinity;
  private readonly now: () => number;
  private readonly beatMs: number;
  private unsubscribe: (() => void) | null = null;
  private beatTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  /** Counters for the log and the bench. */
  readonly sent = { snapshots: 0, diffs: 0, beats: 0, bytes: 0, failures: 0, resyncs: 0 };

  constructor(private readonly options: PublisherOptions) {
    this.now = options.now ?? Date.now;
    this.beatMs = options.beatMs ?? BEAT_MS;
  }

  start(): void {
    this.unsubscribe = this.options.feed.subscribe((next) => this.publish(next));
    this.beatTimer = setInterval(() => this.beat(), this.beatMs);
    void this.watchConnection();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.beatTimer);
  }

  /** The hub fell behind: the next tick carries a snapshot (at most once per RESYNC_GAP_MS). */
  requestSnapshot(): boolean {
    if (this.now() - this.lastResync < RESYNC_GAP_MS) return false;
    this.lastResync = this.now();
    this.sent.resyncs++;
    this.state.needsSnapshot = true;
    this.publish(this.options.feed.current());
    return true;
  }

  /** One tick of the feed: a snapshot, a diff, or nothing. */
  publish(next: Snapshot): void {
    if (this.stopped) return;
    const diff = this.base && !this.state.needsSnapshot ? diffSnapshots(this.base, next) : null;
    const diffMessage: HostDiffMessage | null = diff ? { type: 'diff', ...this.envelope(this.seq + 1), diff } : null;
    const diffBytes = diffMessage ? encodePayload(JSON.stringify(diffMessage)) : null;
    const plan = planPublish(this.state, { connected: this.connected, diffBytes: diffBytes?.length ?? null, now: this.now() });
    switch (plan) {
      case 'skip':
        // Dropped for lack of a connection or of acknowledgements: the hub now needs a snapshot.
        if (!this.connected || diffBytes !== null) this.state.needsSnapshot = true;
        return;
      case 'snapshot':
        return this.sendSnapshot(next);
      case 'diff':
        if (!diffBytes) return;
        this.seq++;
        this.base = next;
        this.state.diffsSinceSnapshot++;
        this.state.diffBytesSinceSnapshot += diffBytes.length;
        this.sent.diffs++;
        return this.send(buildDiffSubject(this.options.name), diffBytes);
      default:
        return assertNever(plan);
    }
  }

  private sendSnapshot(snapshot: Snapshot): void {
    const message: HostSnapshotMessage = { type: 'snapshot', ...this.envelope(this.seq + 1), snapshot };
    const bytes = encodePayload(JSON.stringify(message));
    const max = this.options.nc.info?.max_payload ?? Infinity;
    if (bytes.length > max) {
      // Diffs without their snapshot are useless to a hub: send none, and say why in every beat.
      this.setProblem(
        `the snapshot is ${(bytes.length / 1048576).toFixed(1)} MiB compressed, over NATS's max_payload of ${(max / 1048576).toFixed(1)} MiB: raise max_payload in the nats-server configuration`,
      );
      this.state.needsSnapshot = true;
      return;
    }
    this.setProblem(null);
    this.seq++;
    this.base = snapshot;
    this.state = {
      ...this.state,
      needsSnapshot: false,
      lastSnapshotAt: this.now(),
      snapshotBytes: bytes.length,
      diffsSinceSnapshot: 0,
      diffBytesSinceSnapshot: 0,
    };
    this.sent.snapshots++;
    this.send(buildStateSubject(this.options.name, 'snapshot'), bytes);
  }

  private beat(): void {
    if (!this.connected || this.stopped) return;
    const current = this.options.feed.current();
    const message: HostBeatMessage = {
      type: 'beat',
      ...this.envelope(Math.max(0, this.seq)),
      beatMs: this.beatMs,
      processes: current.processes.length,
      containers: current.containers.length,
      problem: this.problem,
    };
    this.sent.beats++;
    this.send(buildStateSubject(this.options.name, 'beat'), encodePayload(JSON.stringify(message)), false);
  }

  private envelope(seq: number): { protocol: typeof PROTOCOL_VERSION; host: string; epoch: string; seq: number; sentAt: number } {
    return { protocol: PROTOCOL_VERSION, host: this.options.name, epoch: this.epoch, seq, sentAt: this.now() };
  }

  /** Publishes with JetStream's acknowledgement; a lost snapshot or diff means the next message is a snapshot. */
  private send(subject: string, bytes: Uint8Array, counts = true): void {
    this.sent.bytes += bytes.length;
    if (counts) this.state.inFlight++;
    this.options.js
      .publish(subject, bytes, { timeout: PUBLISH_TIMEOUT_MS })
      .catch((err: unknown) => {
        this.sent.failures++;
        if (counts) this.state.needsSnapshot = true;
        if (!this.stopped) this.options.log.warn('publish to NATS failed', { subject, error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        if (counts) this.state.inFlight--;
      });
  }

  private setProblem(problem: string | null): void {
    if (problem && problem !== this.problem) this.options.log.error('cannot publish this host', { problem });
    this.problem = problem;
  }

  /** NATS going away and coming back: stop publishing, then start again with a snapshot. */
  private async watchConnection(): Promise<void> {
    for await (const status of this.options.nc.status()) {
      if (this.stopped) return;
      if (status.type === Events.Disconnect) {
        this.connected = false;
        this.state.needsSnapshot = true;
        this.options.log.warn('NATS connection lost; publishing stops until it is back', { server: typeof status.data === 'string' ? status.data : '' });
      } else if (status.type === Events.Reconnect) {
        this.connected = true;
        this.state.needsSnapshot = true;
        this.options.log.info('NATS connection back; sending a fresh snapshot', { server: typeof status.data === 'string' ? status.data : '' });
        this.publish(this.options.feed.current());
        this.beat();
      }
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled plan ${String(value)}`);
}
