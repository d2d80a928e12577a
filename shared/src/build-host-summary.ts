import type { HostEntry } from './apply-host-message.ts';
import type { HostSummary } from './host-protocol.ts';

/** Container names shown per host in the list; the count says how many more. */
export const LISTED_CONTAINERS = 6;

/** Beats a host may miss before it is called stale: one lost beat is noise, three is a host gone. */
export const MISSED_BEATS_FOR_STALE = 3;

/** How long after its last message a host becomes stale. */
export function staleAfterMs(entry: Pick<HostEntry, 'beatMs'>): number {
  return MISSED_BEATS_FOR_STALE * entry.beatMs;
}

/** Live when something came from the host within `staleAfterMs`; a host never heard from is stale. */
export function isHostStale(entry: Pick<HostEntry, 'beatMs' | 'lastSeen'>, now: number): boolean {
  return entry.lastSeen === null || now - entry.lastSeen > staleAfterMs(entry);
}

/** The `/api/hosts` row for one host. Pure: the clock is a parameter. */
export function buildHostSummary(entry: HostEntry, now: number): HostSummary {
  const { snapshot, beat } = entry;
  // The beat is newer than a snapshot the hub could not yet bring up to date.
  const fromBeat = beat !== null && (!snapshot || beat.epoch !== entry.epoch || beat.seq > entry.seq);
  return {
    name: entry.name,
    state: isHostStale(entry, now) ? 'stale' : 'live',
    processes: fromBeat ? beat.processes : (snapshot?.processes.length ?? 0),
    containers: fromBeat ? beat.containers : (snapshot?.containers.length ?? 0),
    containerNames: [...(snapshot?.containers ?? [])]
      .sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || a.name.localeCompare(b.name))
      .slice(0, LISTED_CONTAINERS)
      .map((c) => c.name),
    lastSeen: entry.lastSeen,
    ageMs: entry.lastSeen === null ? null : Math.max(0, now - entry.lastSeen),
    hostname: snapshot?.host.hostname ?? null,
    problem: entry.problem ?? beat?.problem ?? (snapshot ? null : 'no snapshot received yet'),
  };
}

/** Every host's row, by name. */
export function buildHostSummaries(entries: Iterable<HostEntry>, now: number): HostSummary[] {
  return [...entries].map((e) => buildHostSummary(e, now)).sort((a, b) => a.name.localeCompare(b.name));
}
