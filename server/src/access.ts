import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseCookies, parseHostHeader, parseOrigin } from './parse-request-parts.ts';

/** What a token lets its holder do: the presenter drives (and, with `--share`, is followed); the audience watches. */
export type Role = 'presenter' | 'audience';

/** Host names any dashboard answers to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface AccessOptions {
  /** The token that grants everything the dashboard offers. */
  presenterToken: string;
  /** With `--share`: a second token for people who watch and follow. */
  audienceToken: string | null;
  /** The address bound; its own name is allowed as a Host. */
  bindHost: string;
  /** Extra names configured with `--allowed-hosts`. */
  allowedHosts: readonly string[];
  /** The port actually listened on (known once listening): it names the cookie. */
  port(): number;
}

export type Admission = { ok: true; role: Role } | { ok: false; status: 400 | 401 | 403; error: string };

/**
 * The one access check, for HTTP routes and WebSocket upgrades alike. Three questions, in order:
 * is the Host ours (DNS rebinding), does a browser's Origin match it (cross-site WebSocket
 * hijacking), and does the request carry a token (a cookie after the page traded it, or
 * `Authorization: Bearer`). The query string is not a credential here: a token there ends up in
 * logs and histories, so only the page URL may trade it (see `tradeToken`).
 */
export interface Access {
  cookieName(): string;
  /** 400 for a malformed Host, 403 for a foreign one; otherwise null. */
  checkHost(headers: IncomingHttpHeaders): Admission | null;
  /** Origin must be `http://<Host>` when a browser sends one. */
  checkOrigin(headers: IncomingHttpHeaders): boolean;
  /** The role a request's credentials grant, or null. */
  authenticate(headers: IncomingHttpHeaders): Role | null;
  /** Full admission of an API call, asset or WebSocket upgrade. */
  admit(headers: IncomingHttpHeaders, options: { websocket: boolean }): Admission;
  /** The role a token offered in the page URL grants, or null; constant-time. */
  matchToken(offered: string): Role | null;
  /** The cookie to set after a trade. */
  buildCookie(token: string): string;
  presenterToken: string;
  audienceToken: string | null;
}

/** A fresh token: 32 bytes of randomness, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of digests, so neither content nor length leaks. */
function same(offered: string, expected: string): boolean {
  const a = createHash('sha256').update(offered).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function createAccess(options: AccessOptions): Access {
  const anyHost = options.bindHost === '0.0.0.0' || options.bindHost === '::';
  const names = new Set([...LOOPBACK_NAMES, ...options.allowedHosts.map((n) => n.toLowerCase())]);
  if (!anyHost) names.add(options.bindHost.includes(':') ? `[${options.bindHost.toLowerCase()}]` : options.bindHost.toLowerCase());
  if (options.bindHost === '::1') names.add('[::1]');
  const cookieName = (): string => `proclens_token_${options.port()}`;

  const matchToken = (offered: string): Role | null => {
    if (offered === '') return null;
    if (same(offered, options.presenterToken)) return 'presenter';
    if (options.audienceToken !== null && same(offered, options.audienceToken)) return 'audience';
    return null;
  };

  const checkHost = (headers: IncomingHttpHeaders): Admission | null => {
    const host = parseHostHeader(headers.host);
    if (!host) return { ok: false, status: 400, error: 'malformed or missing Host header' };
    // Bound to every interface, the server is reached by names it cannot know: the token guards it.
    if (!anyHost && !names.has(host.name)) return { ok: false, status: 403, error: `this dashboard does not answer to the host name "${host.name}"` };
    return null;
  };

  const checkOrigin = (headers: IncomingHttpHeaders): boolean => {
    const value = headers.origin;
    // Browsers always send Origin on WebSocket handshakes; tools such as websocat send none and
    // are not a browser acting for a user on another site.
    if (value === undefined) return true;
    const origin = parseOrigin(value);
    const host = parseHostHeader(headers.host);
    return origin !== null && host !== null && origin.scheme === 'http' && origin.host.name === host.name && origin.host.port === host.port;
  };

  const authenticate = (headers: IncomingHttpHeaders): Role | null => {
    const auth = headers.authorization;
    if (typeof auth === 'string') {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      // A wrong bearer is a wrong answer, not a reason to look for a cookie.
      return bearer ? matchToken(bearer[1] ?? '') : null;
    }
    const cookie = parseCookies(headers.cookie).get(cookieName());
    return cookie === undefined ? null : matchToken(cookie);
  };

  return {
    cookieName,
    checkHost,
    checkOrigin,
    authenticate,
    matchToken,
    presenterToken: options.presenterToken,
    audienceToken: options.audienceToken,
    admit: (headers, { websocket }) => {
      const host = checkHost(headers);
      if (host) return host;
      if (websocket && !checkOrigin(headers)) return { ok: false, status: 403, error: 'WebSocket from another origin' };
      const role = authenticate(headers);
      if (!role) return { ok: false, status: 401, error: 'this dashboard needs its access token: open the URL the server printed at start' };
      return { ok: true, role };
    },
    buildCookie: (token) => `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Strict`,
  };
}
