/**
 * Parsers for the parts of a request that are read before it is admitted: the Host and Origin
 * headers, cookies, the path and query. Every byte here comes from whoever connected, so none of
 * these throws: malformed input parses to null (or is skipped), and the caller refuses it.
 */

export interface HostHeader {
  /** Lower-case name, IPv6 addresses in brackets. */
  name: string;
  port: number | null;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_HEADER = new RegExp(`^(${LABEL}(?:\\.${LABEL})*\\.?|\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-f:.]+\\])(?::(\\d{1,5}))?$`);

/**
 * `Host: name[:port]` as RFC 9110 has it. Anything else is null: `localhost:1@evil` and
 * `localhost:evil.com` are not a name with a port, whatever a lenient parser would make of them.
 */
export function parseHostHeader(value: string | undefined): HostHeader | null {
  if (value === undefined) return null;
  const match = HOST_HEADER.exec(value.trim().toLowerCase());
  if (!match) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && port > 65535) return null;
  return { name: (match[1] ?? '').replace(/\.$/, ''), port };
}

export interface Origin {
  scheme: string;
  host: HostHeader;
}

/** `Origin: scheme://host[:port]`, exactly; `null`, paths and userinfo are refused. */
export function parseOrigin(value: string): Origin | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@\s]+)$/i.exec(value.trim());
  if (!match) return null;
  const host = parseHostHeader(match[2]);
  return host ? { scheme: (match[1] ?? '').toLowerCase(), host } : null;
}

/**
 * The cookies of a `Cookie` header. A value that is not valid percent-encoding is kept as sent
 * (browsers send cookies raw; a lone `%` once crashed the server through `decodeURIComponent`).
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    if (name === '') continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, safeDecode(value));
  }
  return cookies;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface RequestTarget {
  /** The path as sent, before `?`; always starts with `/` (an absolute-form URL is reduced to its path). */
  path: string;
  query: URLSearchParams;
}

/**
 * Splits a request target into path and query without resolving it against anything (`//` or
 * `/.//evil.com` stay paths, never become hosts). URLSearchParams never throws on bad escapes.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget {
  let value = target ?? '/';
  // Absolute form (`GET http://host/path`), allowed by HTTP/1.1 for proxies: keep the path.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(value);
  if (absolute) value = value.slice(absolute[0].length) || '/';
  const hash = value.indexOf('#');
  if (hash >= 0) value = value.slice(0, hash);
  const q = value.indexOf('?');
  const path = q >= 0 ? value.slice(0, q) : value;
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q >= 0 ? value.slice(q + 1) : '') };
}

/**
 * Where to send a browser after it traded its token: the same page, never anywhere else. Paths
 * that a browser would read as another host (`//evil.com`, `/\evil.com`) or that climb out
 * (`/.//evil.com` normalises to `//evil.com`) become `/`.
 */
export function buildSafeRedirect(path: string, query: URLSearchParams): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const clean = `/${segments.join('/')}`;
  const safe = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(clean) && !clean.includes('\\') ? clean : '/';
  const rest = query.toString();
  return rest ? `${safe}?${rest}` : safe;
}
