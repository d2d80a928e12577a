/**
 * `--nats` as people write it: `nats://user:pass@host:4222`, `tls://host:4222`, `host:4222`, or
 * several servers separated by commas. The NATS client does not read credentials from the URL,
 * so they are taken out here, and the address without them is what logs and errors show.
 */

export interface NatsTarget {
  /** `host:port` per server, for the client's `servers` option. */
  servers: string[];
  user: string | null;
  pass: string | null;
  /** `nats://TOKEN@host`: a user part without a password is a token, as the nats CLI reads it. */
  token: string | null;
  /** A `tls://` URL: TLS is required even if the server does not ask for it. */
  tls: boolean;
  /** The first server as `scheme://host:port`, without credentials. */
  display: string;
}

export type ParsedNatsUrl = { ok: true; target: NatsTarget } | { ok: false; error: string };

const DEFAULT_PORT = 4222;

/** Parses `--nats`. Pure. */
export function parseNatsUrl(text: string): ParsedNatsUrl {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, error: '--nats needs a URL such as nats://user:pass@127.0.0.1:4222' };
  const target: NatsTarget = { servers: [], user: null, pass: null, token: null, tls: false, display: '' };
  for (const part of parts) {
    let url: URL;
    try {
      url = new URL(/^[a-z]+:\/\//i.test(part) ? part : `nats://${part}`);
    } catch {
      return { ok: false, error: `--nats: "${redact(part)}" is not a URL (nats://host:4222)` };
    }
    const scheme = url.protocol.replace(/:$/, '');
    if (scheme !== 'nats' && scheme !== 'tls') return { ok: false, error: `--nats: scheme ${scheme}:// is not supported; use nats:// or tls://` };
    if (!url.hostname) return { ok: false, error: `--nats: "${redact(part)}" names no host` };
    if ((url.pathname && url.pathname !== '/') || url.search || url.hash)
      return { ok: false, error: `--nats: "${redact(part)}" has a path or query; give only scheme://host:port` };
    const port = url.port ? Number(url.port) : DEFAULT_PORT;
    target.servers.push(`${url.hostname}:${port}`);
    if (scheme === 'tls') target.tls = true;
    if (!target.display) target.display = `${scheme}://${url.hostname}:${port}`;
    if (url.username && target.user === null && target.token === null) {
      const user = decodeURIComponent(url.username);
      if (url.password) {
        target.user = user;
        target.pass = decodeURIComponent(url.password);
      } else {
        target.token = user;
      }
    }
  }
  return { ok: true, target };
}

/** A URL as it may be printed: any credentials replaced by `***`. */
export function redact(text: string): string {
  return text.replace(/\/\/[^@/]*@/g, '//***@');
}
