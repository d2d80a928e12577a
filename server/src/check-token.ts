import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The cookie that carries the token after the first visit; per port, as cookies ignore ports. */
export function tokenCookieName(port: number): string {
  return `proclens_token_${port}`;
}

function cookie(headers: IncomingHttpHeaders, name: string): string | null {
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** The token a request offers: `Authorization: Bearer`, the `?token=` query, or the cookie. */
export function readOfferedTokens(headers: IncomingHttpHeaders, url: string, port: number): string[] {
  const offered: string[] = [];
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) offered.push(auth.slice('Bearer '.length).trim());
  const query = new URL(url, 'http://x').searchParams.get('token');
  if (query) offered.push(query);
  const fromCookie = cookie(headers, tokenCookieName(port));
  if (fromCookie) offered.push(fromCookie);
  return offered;
}

/** Constant-time comparison (of digests, so lengths leak nothing either). */
export function tokenMatches(offered: string, expected: string): boolean {
  const a = createHash('sha256').update(offered).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function isAuthorised(headers: IncomingHttpHeaders, url: string, port: number, expected: string | null): boolean {
  if (expected === null) return true;
  return readOfferedTokens(headers, url, port).some((t) => tokenMatches(t, expected));
}
