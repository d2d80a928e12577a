import { hostMatchesSchema, hostSummariesSchema, hubStatusSchema } from '@proclens/shared';
import type { HostMatch, HostSummary, HubStatus } from '@proclens/shared';
import { useJson } from './use-json.ts';
import type { JsonState } from './use-json.ts';

/** The host list refreshes this often: a host going stale or a count changing shows within it. */
const HOSTS_REFRESH_MS = 2000;
const SEARCH_REFRESH_MS = 5000;

/** `/api/hosts`, validated and refreshed. */
export function useHosts(): JsonState<HostSummary[]> {
  return useJson('/api/hosts', hostSummariesSchema, HOSTS_REFRESH_MS);
}

/** `/api/hub`: the hub's own link to NATS; on a single-host server this is `gone` (404). */
export function useHubStatus(): JsonState<HubStatus> {
  return useJson('/api/hub', hubStatusSchema, HOSTS_REFRESH_MS);
}

/** `/api/hosts/search?q=`: containers and pids across every host; idle for an empty query. */
export function useHostSearch(query: string): JsonState<HostMatch[]> {
  const q = query.trim();
  return useJson(q ? `/api/hosts/search?q=${encodeURIComponent(q)}` : null, hostMatchesSchema, SEARCH_REFRESH_MS);
}
