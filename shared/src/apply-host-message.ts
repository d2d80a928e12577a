import { applyDiff } from './apply-diff.ts';
import type { HostDiffMessage, HostMessage } from './host-protocol.ts';
import type { Snapshot } from './model.ts';

/** Diffs held while their snapshot has not arrived (two streams, two consumers: either may be first). */
export const MAX_PENDING_DIFFS = 256;

/** What the hub knows of one host, built only from the messages it read. */
export interface HostEntry {
  name: string;
  /** The latest snapshot with every diff after it applied; null until one arrives. */
  snapshot: Snapshot | null;
  /** The agent run `snapshot` belongs to, and the last seq folded into it. */
  epoch: string | null;
  seq: number;
  /** Hub clock, ms: when anything from this host was last stored by NATS. */
  lastSeen: number | null;
  /** From the latest beat; before any, the agent default. */
  beatMs: number;
  /** The latest beat's counts and run, for hosts whose snapshot is missing or behind. */
  beat: { epoch: string; seq: number; processes: number; containers: number; problem: string | null } | null;
  /** Diffs that cannot be applied yet, ascending by (epoch, seq). */
  pending: HostDiffMessage[];
  /** A message that could not be read, in words; cleared by the next good one. */
  problem: string | null;
}

export const DEFAULT_BEAT_MS = 5000;

export function emptyHostEntry(name: string): HostEntry {
  return { name, snapshot: null, epoch: null, seq: 0, lastSeen: null, beatMs: DEFAULT_BEAT_MS, beat: null, pending: [], problem: null };
}

/**
 * Folds one agent message into a host's entry. Pure. `storedAt` is when NATS stored the message
 * (capped at the hub's now by the caller). Returns the same entry object when nothing changed
 * and says whether the snapshot changed, so the hub wakes the host's browsers only then.
 *
 * Snapshots replace: each stream delivers in order and keeps only a host's newest snapshot, so
 * one that arrives is never older than the last, except an older seq of the same run, ignored.
 * A diff applies when it is the next seq of the current run; one from before is dropped; one from
 * ahead (a gap, or a new run whose snapshot is still on its way) waits in `pending`, bounded.
 */
export function applyHostMessage(entry: HostEntry, message: HostMessage, storedAt: number): { entry: HostEntry; snapshotChanged: boolean } {
  const seen = { ...entry, lastSeen: Math.max(entry.lastSeen ?? storedAt, storedAt), problem: null };
  switch (message.type) {
    case 'beat':
      return {
        entry: {
          ...seen,
          beatMs: message.beatMs,
          beat: { epoch: message.epoch, seq: message.seq, processes: message.processes, containers: message.containers, problem: message.problem },
        },
        snapshotChanged: false,
      };
    case 'snapshot': {
      if (message.epoch === entry.epoch && message.seq < entry.seq) return { entry: seen, snapshotChanged: false };
      const replaced = { ...seen, snapshot: message.snapshot, epoch: message.epoch, seq: message.seq };
      return { entry: drainPending(replaced), snapshotChanged: true };
    }
    case 'diff': {
      if (message.epoch === entry.epoch && entry.snapshot) {
        if (message.seq <= entry.seq) return { entry: seen, snapshotChanged: false };
        if (message.seq === entry.seq + 1) {
          const applied = { ...seen, snapshot: applyDiff(entry.snapshot, message.diff), seq: message.seq };
          return { entry: drainPending(applied), snapshotChanged: true };
        }
      }
      return { entry: { ...seen, pending: addPending(entry.pending, message) }, snapshotChanged: false };
    }
    default:
      return assertNever(message);
  }
}

/** Records that a message from this host could not be read (it still counts as a sign of life). */
export function noteHostProblem(entry: HostEntry, problem: string, storedAt: number): HostEntry {
  return { ...entry, lastSeen: Math.max(entry.lastSeen ?? storedAt, storedAt), problem };
}

/** Applies the pending diffs that now follow on, and forgets those the snapshot already holds. */
function drainPending(entry: HostEntry): HostEntry {
  let { snapshot, seq } = entry;
  const rest: HostDiffMessage[] = [];
  for (const diff of entry.pending) {
    if (diff.epoch !== entry.epoch) {
      rest.push(diff);
    } else if (diff.seq === seq + 1 && snapshot) {
      snapshot = applyDiff(snapshot, diff.diff);
      seq = diff.seq;
    } else if (diff.seq > seq) {
      rest.push(diff);
    }
  }
  return { ...entry, snapshot, seq, pending: rest };
}

function addPending(pending: readonly HostDiffMessage[], diff: HostDiffMessage): HostDiffMessage[] {
  if (pending.some((p) => p.epoch === diff.epoch && p.seq === diff.seq)) return [...pending];
  // Same-epoch diffs arrive in seq order; a newer epoch's go after, so the list stays sorted.
  const next = [...pending, diff];
  return next.length > MAX_PENDING_DIFFS ? next.slice(next.length - MAX_PENDING_DIFFS) : next;
}

/**
 * Whether the hub has fallen behind the agent and should ask it for a snapshot: its beat names
 * a later seq or another run, or diffs wait on a gap. Pure; the caller rate-limits the asking.
 */
export function isHostBehind(entry: HostEntry): boolean {
  if (entry.pending.length > 0) return true;
  if (!entry.beat) return false;
  return entry.beat.epoch !== entry.epoch || entry.beat.seq > entry.seq;
}

function assertNever(value: never): never {
  throw new Error(`unhandled host message ${JSON.stringify(value)}`);
}
