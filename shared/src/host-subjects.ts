/**
 * Where the agents and the hub meet in NATS. Two JetStream streams, because their messages need
 * different retention:
 *
 * - `PROCLENS_HOSTS` keeps the last message per subject: each host's latest full snapshot
 *   (`proclens.state.<host>.snapshot`) and latest heartbeat (`proclens.state.<host>.beat`). A hub
 *   that starts late reads these at once with a "last per subject" consumer.
 * - `PROCLENS_DIFFS` keeps each host's recent diffs (`proclens.diff.<host>`), a bounded tail that
 *   always reaches back to that host's latest snapshot: the agent sends a fresh snapshot well
 *   before the tail would drop a diff it still needs.
 *
 * Detail requests (one process, one container) are plain request/reply on `proclens.rpc.<host>`
 * and are never stored.
 */

export const STATE_STREAM = 'PROCLENS_HOSTS';
export const DIFF_STREAM = 'PROCLENS_DIFFS';
export const STATE_SUBJECTS = 'proclens.state.>';
export const DIFF_SUBJECTS = 'proclens.diff.>';

/** Diffs kept per host; the agent snapshots after MAX_DIFFS_PER_SNAPSHOT, well inside this. */
export const DIFFS_KEPT_PER_HOST = 128;
/** A fresh snapshot after this many diffs, so a late hub replays at most this many. */
export const MAX_DIFFS_PER_SNAPSHOT = 60;
/** A fresh snapshot at least this often, even on an idle host, so the state stream's age limit never drops a live host. */
export const SNAPSHOT_REFRESH_MS = 60 * 60 * 1000;
/** A host silent this long leaves the state stream, and so the hub. */
export const STATE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Diffs older than this are gone; SNAPSHOT_REFRESH_MS is shorter, so none after the latest snapshot is. */
export const DIFF_MAX_AGE_MS = 2 * SNAPSHOT_REFRESH_MS;

/** A host name is one NATS subject token: letters, digits, `_` and `-`, at most 63. */
export const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export type StateKind = 'snapshot' | 'beat';

export function buildStateSubject(host: string, kind: StateKind): string {
  return `proclens.state.${host}.${kind}`;
}

export function buildDiffSubject(host: string): string {
  return `proclens.diff.${host}`;
}

export function buildRpcSubject(host: string): string {
  return `proclens.rpc.${host}`;
}

/** The host a stored subject belongs to, or null for a subject that is not ours. */
export function parseSubjectHost(subject: string): string | null {
  const parts = subject.split('.');
  const host = parts[0] === 'proclens' && ((parts[1] === 'state' && parts.length === 4) || (parts[1] === 'diff' && parts.length === 3)) ? parts[2] : undefined;
  return host !== undefined && HOST_NAME.test(host) ? host : null;
}

/**
 * A hostname as a host name for NATS: `node-1.example.com` → `node-1`. The first DNS label is
 * what people call a machine, and a dot would split the subject. Anything else that cannot be
 * in a token becomes `-`; an empty result becomes `host`.
 */
export function buildHostName(hostname: string): string {
  const label = hostname.split('.')[0] ?? '';
  const cleaned = label
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 63);
  return cleaned || 'host';
}
