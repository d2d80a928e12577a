import { HOST_NAME } from '@proclens/shared';

/** Which hub page an address is: the host list, or one host's dashboard at `/hosts/NAME`. */
export type HubRoute = { kind: 'home' } | { kind: 'host'; name: string };

/** Parses the path; anything that is not `/hosts/<a host name>` is the home page. Pure. */
export function parseHubRoute(pathname: string): HubRoute {
  const match = /^\/hosts\/([^/]+)\/?$/.exec(pathname);
  const name = match?.[1] ? safeDecode(match[1]) : null;
  return name !== null && HOST_NAME.test(name) ? { kind: 'host', name } : { kind: 'home' };
}

/** The address of a host's dashboard, optionally with a pid or container selected (the dashboard's own URL state). */
export function buildHostHref(name: string, select: { pid?: number | null; container?: string | null } = {}): string {
  const params = new URLSearchParams();
  if (select.pid !== undefined && select.pid !== null) params.set('pid', String(select.pid));
  if (select.container) params.set('container', select.container);
  const query = params.toString();
  return `/hosts/${encodeURIComponent(name)}${query ? `?${query}` : ''}`;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago": how long since a host was heard from. */
export function formatAgo(ms: number | null): string {
  if (ms === null) return 'never';
  const s = Math.floor(ms / 1000);
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} d ago`;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
