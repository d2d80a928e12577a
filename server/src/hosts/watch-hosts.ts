import { consumerOpts } from 'nats';
import type { JetStreamClient, JsMsg, NatsConnection } from 'nats';
import {
  DIFF_SUBJECTS,
  STATE_SUBJECTS,
  applyHostMessage,
  buildRpcSubject,
  emptyHostEntry,
  isHostBehind,
  isHostStale,
  noteHostProblem,
  parseHostMessage,
  parseSubjectHost,
} from '@proclens/shared';
import type { HostEntry } from '@proclens/shared';
import type { Logger } from '../logger.ts';
import { decodePayload } from './encode-payload.ts';
import { HostFeed } from './host-feed.ts';

/** A host the hub is behind on for this long is asked for a snapshot (diffs and beats travel on two streams: brief lags are normal). */
const BEHIND_GRACE_MS = 3000;
/** …and asked again at most this often. */
const RESYNC_ASK_GAP_MS = 10_000;
const CHECK_MS = 1000;

/**
 * The hub's view of every host, read from JetStream: the state stream from each host's latest
 * snapshot and beat ("last per subject"), the diff stream from its start (a short tail per host).
 * Both are ordered consumers, which the client re-creates after a reconnect or a gap, so the
 * view survives NATS restarts. Each host's snapshot is also a `HostFeed` for its browsers.
 */
export class HostWatcher {
  private readonly entries = new Map<string, HostEntry>();
  private readonly feeds = new Map<string, HostFeed>();
  private readonly behindSince = new Map<string, number>();
  private readonly lastAsk = new Map<string, number>();
  private readonly stops: (() => void)[] = [];
  private readonly now: () => number;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly log: Logger,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
  }

  async start(): Promise<void> {
    const state = consumerOpts().orderedConsumer().deliverLastPerSubject();
    const diffs = consumerOpts().orderedConsumer().deliverAll();
    for (const [subject, opts] of [
      [STATE_SUBJECTS, state],
      [DIFF_SUBJECTS, diffs],
    ] as const) {
      const sub = await this.js.subscribe(subject, opts);
      this.stops.push(() => sub.unsubscribe());
      void (async () => {
        for await (const msg of sub) this.receive(msg);
      })().catch((err: unknown) => this.log.error('host stream ended', { subject, error: err instanceof Error ? err.message : String(err) }));
    }
    const timer = setInterval(() => this.askBehindHosts(), CHECK_MS);
    this.stops.push(() => clearInterval(timer));
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  list(): HostEntry[] {
    return [...this.entries.values()];
  }

  entry(name: string): HostEntry | undefined {
    return this.entries.get(name);
  }

  /** The feed of a host with a snapshot; null for an unknown host or one still without. */
  feed(name: string): HostFeed | null {
    return this.feeds.get(name) ?? null;
  }

  /** One stored message. Nothing in it may throw out: a hostile publisher must not stop the hub. */
  receive(msg: Pick<JsMsg, 'subject' | 'data' | 'info'>): void {
    const name = parseSubjectHost(msg.subject);
    if (!name) return;
    // When NATS stored it, by its clock; never later than now (a server clock ahead of ours).
    const storedAt = Math.min(this.now(), Math.floor(msg.info.timestampNanos / 1e6));
    const entry = this.entries.get(name) ?? emptyHostEntry(name);
    let text: string;
    try {
      text = decodePayload(msg.data);
    } catch {
      return void this.entries.set(name, noteHostProblem(entry, 'a message from this host could not be unpacked', storedAt));
    }
    const parsed = parseHostMessage(text);
    if (!parsed.ok) {
      if (entry.problem !== parsed.error) this.log.warn('unreadable message from a host', { host: name, error: parsed.error });
      return void this.entries.set(name, noteHostProblem(entry, parsed.error, storedAt));
    }
    if (parsed.value.host !== name) {
      return void this.entries.set(name, noteHostProblem(entry, `a message for ${parsed.value.host} was published on this host's subject`, storedAt));
    }
    const { entry: next, snapshotChanged } = applyHostMessage(entry, parsed.value, storedAt);
    this.entries.set(name, next);
    if (snapshotChanged && next.snapshot) {
      const feed = this.feeds.get(name);
      if (feed) feed.update(next.snapshot);
      else this.feeds.set(name, new HostFeed(next.snapshot, (err) => this.log.error('host subscriber failed', { host: name, error: String(err) })));
    }
  }

  /** Hosts whose diffs have a gap, or whose beat is ahead of what arrived, get asked for a snapshot. */
  private askBehindHosts(): void {
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (!isHostBehind(entry) || isHostStale(entry, now)) {
        this.behindSince.delete(entry.name);
        continue;
      }
      const since = this.behindSince.get(entry.name) ?? now;
      this.behindSince.set(entry.name, since);
      if (now - since < BEHIND_GRACE_MS || now - (this.lastAsk.get(entry.name) ?? -Infinity) < RESYNC_ASK_GAP_MS) continue;
      this.lastAsk.set(entry.name, now);
      this.log.info('asking a host for a fresh snapshot', { host: entry.name, pending: entry.pending.length });
      this.nc.request(buildRpcSubject(entry.name), new TextEncoder().encode('{"type":"resync"}'), { timeout: 2000 }).catch((err: unknown) => {
        this.log.debug('resync request unanswered', { host: entry.name, error: err instanceof Error ? err.message : String(err) });
      });
    }
  }
}
