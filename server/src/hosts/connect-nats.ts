import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { connect, credsAuthenticator, nkeyAuthenticator } from 'nats';
import type { ConnectionOptions, NatsConnection } from 'nats';
import type { Settings } from '../parse-cli.ts';
import { parseNatsUrl } from './parse-nats-url.ts';
import type { NatsTarget } from './parse-nats-url.ts';

/** How long the first connection may take before start fails. */
const CONNECT_TIMEOUT_MS = 10_000;
/** While running, the client retries for ever, this far apart. */
const RECONNECT_WAIT_MS = 1000;
/** A dead server is noticed after MAX_PINGS_OUT unanswered pings this far apart. */
const PING_INTERVAL_MS = 10_000;
const MAX_PINGS_OUT = 3;

export interface NatsLink {
  nc: NatsConnection;
  /** The server as it may be printed: no credentials. */
  display: string;
}

/**
 * Connects to NATS as `--nats`, `--nats-creds` and `--nats-ca` say. Fails with one sentence a
 * person can act on (wrong password, nothing listening, untrusted certificate, unreadable file);
 * once connected, the client reconnects by itself for ever.
 */
export async function connectNats(settings: Pick<Settings, 'nats' | 'natsCreds' | 'natsCa'>, clientName: string): Promise<NatsLink> {
  const parsed = parseNatsUrl(settings.nats ?? '');
  if (!parsed.ok) throw new Error(parsed.error);
  const target = parsed.target;
  const options: ConnectionOptions = {
    servers: target.servers,
    name: clientName,
    timeout: CONNECT_TIMEOUT_MS,
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    pingInterval: PING_INTERVAL_MS,
    maxPingOut: MAX_PINGS_OUT,
    ...(target.user !== null ? { user: target.user, pass: target.pass ?? '' } : {}),
    ...(target.token !== null ? { token: target.token } : {}),
  };
  if (settings.natsCreds) options.authenticator = readCredentials(settings.natsCreds);
  if (settings.natsCa || target.tls) {
    if (settings.natsCa) readable(settings.natsCa, '--nats-ca');
    options.tls = { ...(settings.natsCa ? { caFile: settings.natsCa } : {}), ...checkIpIdentity(target) };
  }
  try {
    return { nc: await connect(options), display: target.display };
  } catch (err) {
    throw new Error(describeNatsError(err, target), { cause: err });
  }
}

/**
 * The NATS client sends no TLS server name for an IP address, and Node then checks the
 * certificate against "localhost". For servers given by IP, check it against those IPs instead
 * (a certificate with `IP:10.0.0.5` in its subjectAltName), as for a name.
 */
function checkIpIdentity(target: NatsTarget): { checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined } {
  const ips = target.servers.map((s) => s.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')).filter((h) => isIP(h) !== 0);
  if (ips.length !== target.servers.length) return {};
  return {
    checkServerIdentity: (_host, cert) => {
      const errors = ips.map((ip) => checkServerIdentity(ip, cert));
      return errors.includes(undefined) ? undefined : errors[0];
    },
  };
}

/** A `.creds` file (JWT and seed, from `nsc`) or a bare nkey seed file. */
function readCredentials(file: string): NonNullable<ConnectionOptions['authenticator']> {
  const text = readable(file, '--nats-creds');
  if (text.includes('-----BEGIN NATS USER JWT-----')) return credsAuthenticator(new TextEncoder().encode(text));
  const seed = /\bSU[A-Z2-7]{56}\b/.exec(text)?.[0];
  if (seed) return nkeyAuthenticator(new TextEncoder().encode(seed));
  throw new Error(`--nats-creds ${file} holds neither a NATS user JWT with its seed (a .creds file) nor a user nkey seed (SU…)`);
}

function readable(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}

/** One line for a failed first connection. The NATS client's own messages are codes, not advice. */
export function describeNatsError(err: unknown, target: Pick<NatsTarget, 'display'>): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const at = `NATS at ${target.display}`;
  if (code === 'AUTHORIZATION_VIOLATION' || code === 'BAD_AUTHENTICATION' || code === 'AUTHENTICATION_EXPIRED') {
    return `${at} refused the credentials (${message}): check the user and password in --nats, or --nats-creds`;
  }
  if (code === 'CONNECTION_REFUSED') return `cannot reach ${at}: connection refused. Is nats-server running there?`;
  if (code === 'TIMEOUT' || code === 'CONNECTION_TIMEOUT') return `${at} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  if (/certificate|self.signed|TLS|SSL|handshake/i.test(`${String(code)} ${message}`)) {
    return `TLS with ${at} failed (${message}): pass the CA that signed the server's certificate with --nats-ca`;
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `cannot reach ${at}: the host name does not resolve`;
  return `cannot connect to ${at}: ${message}`;
}
