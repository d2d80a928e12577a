import type { IncomingHttpHeaders } from 'node:http';

/** Host names a loopback-bound dashboard answers to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

export interface AllowedHosts {
  /** Host names (without port) the server answers to. */
  names: ReadonlySet<string>;
}

/** The names a server bound to `bindHost` is reached by, plus any the user configured. */
export function buildAllowedHosts(bindHost: string, extra: readonly string[] = []): AllowedHosts {
  const names = new Set([...LOOPBACK_NAMES, ...extra.map((n) => n.toLowerCase())]);
  if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost);
  return { names };
}

function hostName(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon >= 0 ? value.slice(0, colon) : value;
}

/**
 * Whether the `Host` header names this server. A page on evil.example that rebinds its DNS to
 * 127.0.0.1 still sends `Host: evil.example`, so this stops DNS rebinding. When bound to all
 * interfaces the token protects the server instead, and any Host is accepted.
 */
export function isAllowedHost(headers: IncomingHttpHeaders, allowed: AllowedHosts, anyHost: boolean): boolean {
  if (anyHost) return true;
  const host = headers.host;
  return typeof host === 'string' && allowed.names.has(hostName(host));
}

/**
 * Whether a WebSocket upgrade comes from the dashboard's own page. Browsers always send
 * `Origin` on WebSocket handshakes, so a foreign page cannot read the stream; tools such as
 * `websocat` send none and are allowed (they are not a browser acting for a user).
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host.toLowerCase() === (headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}
