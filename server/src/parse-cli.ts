/**
 * The command line: one table of options serves parsing, validation, `--help` and the README's
 * table (a test checks the README against it). Pure: arguments and environment in, settings out.
 */

/** `serve` (the default) runs the dashboard; `agent` publishes a host to NATS; `hub` serves every published host. */
export type Command = 'serve' | 'agent' | 'hub';
export const COMMANDS: readonly Command[] = ['serve', 'agent', 'hub'];

export interface Settings {
  command: Command;
  /** HTTP port; null only for an agent started without `--port` (it serves nothing). */
  port: number | null;
  host: string;
  /** Access token given by the user; one is generated at start otherwise. */
  token: string | null;
  /** Extra host names the server answers to (behind a proxy or by a DNS name). */
  allowedHosts: string[];
  open: boolean;
  /** Presenter and audience URLs, bound beyond loopback. */
  share: boolean;
  /** `--docker-host`, else `DOCKER_HOST`; null means "find it as the docker CLI does" (contexts). */
  dockerHost: string | null;
  /** `--podman-host`, else `CONTAINER_HOST`; null means the default socket when it exists. */
  podmanHost: string | null;
  procRoot: string;
  intervalMs: number;
  /** Per cent of one core the scanner may spend re-reading known processes (births are always read). */
  cpuBudget: number;
  revealSecrets: boolean;
  verbose: boolean;
  /** Write what the browser receives to this file (JSON Lines, gzip for `.gz`). */
  record: string | null;
  /** Serve a recording instead of this host. */
  replay: string | null;
  /** Minutes of live history kept in memory for rewinding; 0 keeps none. */
  rewindMinutes: number;
  nats: string | null;
  /** The host's name at the hub; defaults to the hostname. */
  name: string | null;
  natsCreds: string | null;
  natsCa: string | null;
}

export type CliResult = { kind: 'run'; settings: Settings } | { kind: 'help'; command: Command } | { kind: 'version' } | { kind: 'error'; message: string };

export const DEFAULT_PORT = 7700;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** One option: its flag, value placeholder (null for a switch), environment variable, and where it applies. */
export interface OptionSpec {
  flag: string;
  value: string | null;
  env: string | null;
  commands: readonly Command[];
  /** What `--help` and the README say; the first sentence is the README's "what". */
  help: string;
  /** As shown in `--help` and the README. */
  defaultText: string;
}

const ALL: readonly Command[] = COMMANDS;
const SERVERS: readonly Command[] = ['serve', 'hub'];
const SCANNERS: readonly Command[] = ['serve', 'agent'];
const NATS: readonly Command[] = ['agent', 'hub'];

export const OPTIONS: readonly OptionSpec[] = [
  { flag: 'port', value: 'N', env: 'PORT', commands: ALL, help: 'port to listen on; 0 picks a free one', defaultText: `${DEFAULT_PORT} (agent: none)` },
  {
    flag: 'host',
    value: 'ADDR',
    env: 'PROCLENS_HOST',
    commands: SERVERS,
    help: 'address to bind; 0.0.0.0 for every interface',
    defaultText: '127.0.0.1 (0.0.0.0 with --share)',
  },
  {
    flag: 'token',
    value: 'T',
    env: 'PROCLENS_TOKEN',
    commands: SERVERS,
    help: 'access token: 16 to 256 of A-Z a-z 0-9 . _ ~ -',
    defaultText: 'a fresh random one',
  },
  {
    flag: 'allowed-hosts',
    value: 'a,b',
    env: 'PROCLENS_ALLOWED_HOSTS',
    commands: SERVERS,
    help: 'extra host names to answer to (behind a proxy, or a DNS name)',
    defaultText: 'loopback names and the bind address',
  },
  { flag: 'open', value: null, env: null, commands: SERVERS, help: 'open the dashboard (with its token) in the browser', defaultText: 'off' },
  {
    flag: 'share',
    value: null,
    env: null,
    commands: SERVERS,
    help: 'print a presenter URL and a read-only audience URL that follows the presenter',
    defaultText: 'off',
  },
  {
    flag: 'docker-host',
    value: 'URL',
    env: 'DOCKER_HOST',
    commands: SCANNERS,
    help: 'Docker engine: unix:// or tcp:// (TLS with DOCKER_TLS_VERIFY and the PEM files in DOCKER_CERT_PATH); ssh:// is refused, proclens must run on the engine’s host',
    defaultText: 'as the docker CLI finds it: DOCKER_CONTEXT, else the current context in ~/.docker/config.json, else unix:///var/run/docker.sock',
  },
  {
    flag: 'podman-host',
    value: 'URL',
    env: 'CONTAINER_HOST',
    commands: SCANNERS,
    help: "Podman's Docker-compatible API socket",
    defaultText: 'unix:///run/podman/podman.sock when it exists',
  },
  { flag: 'proc-root', value: 'DIR', env: 'PROCLENS_PROC_ROOT', commands: SCANNERS, help: 'where /proc is mounted', defaultText: '/proc' },
  { flag: 'interval', value: 'MS', env: 'PROCLENS_INTERVAL', commands: SCANNERS, help: 'scan interval in milliseconds, 100 to 60000', defaultText: '1000' },
  {
    flag: 'cpu-budget',
    value: 'PCT',
    env: 'PROCLENS_CPU_BUDGET',
    commands: SCANNERS,
    help: 'share of one core for refreshing known processes, 1 to 100; new ones are always read at once',
    defaultText: '3',
  },
  {
    flag: 'reveal-secrets',
    value: null,
    env: 'PROCLENS_REVEAL_SECRETS',
    commands: SCANNERS,
    help: 'show secret-looking environment values instead of masking them (env: set to 1)',
    defaultText: 'masked',
  },
  {
    flag: 'record',
    value: 'FILE',
    env: null,
    commands: ['serve'],
    help: 'also write what the browser receives to FILE (JSON Lines; gzip when it ends in .gz)',
    defaultText: 'off',
  },
  {
    flag: 'replay',
    value: 'FILE',
    env: null,
    commands: ['serve'],
    help: 'serve a recording instead of this host: no /proc, engine or root needed',
    defaultText: 'off',
  },
  {
    flag: 'rewind',
    value: 'MIN',
    env: 'PROCLENS_REWIND',
    commands: ['serve'],
    help: 'minutes of live history kept in memory to scrub back through, 0 to 60',
    defaultText: '15',
  },
  { flag: 'nats', value: 'URL', env: 'PROCLENS_NATS', commands: NATS, help: 'NATS server, e.g. nats://user:pass@host:4222 (required)', defaultText: '—' },
  { flag: 'name', value: 'NAME', env: 'PROCLENS_NAME', commands: ['agent'], help: "this host's name at the hub", defaultText: 'the hostname' },
  { flag: 'nats-creds', value: 'FILE', env: null, commands: NATS, help: 'NATS credentials file (nkey or JWT)', defaultText: 'none' },
  { flag: 'nats-ca', value: 'FILE', env: null, commands: NATS, help: 'CA certificate for a TLS NATS server', defaultText: 'system CAs' },
  { flag: 'verbose', value: null, env: null, commands: ALL, help: 'debug logs: every request, WebSocket, engine event and tick summary', defaultText: 'off' },
  { flag: 'help', value: null, env: null, commands: ALL, help: 'show this help', defaultText: '' },
  { flag: 'version', value: null, env: null, commands: ALL, help: 'show the version', defaultText: '' },
];

const BY_FLAG = new Map(OPTIONS.map((o) => [o.flag, o]));

const SYNOPSIS: Record<Command, string> = {
  serve: 'proclens [serve] [options]        the dashboard for this host (or a recording)',
  agent: 'proclens agent --nats URL [...]  publish this host to NATS JetStream for a hub',
  hub: 'proclens hub --nats URL [...]    one dashboard over every published host',
};

/** `--help` for one command, from the option table. */
export function buildUsage(command: Command): string {
  const lines = [`Usage: ${SYNOPSIS[command]}`, ''];
  if (command === 'serve') lines.push(`       ${SYNOPSIS.agent}`, `       ${SYNOPSIS.hub}`, '');
  lines.push(
    command === 'serve'
      ? "Shows the host's live process tree and its containers in the browser."
      : command === 'agent'
        ? 'Scans this host and publishes its processes and containers to NATS JetStream.'
        : 'Serves one dashboard over every host an agent publishes to NATS JetStream.',
    '',
    'Options:',
  );
  for (const o of OPTIONS.filter((spec) => spec.commands.includes(command))) {
    const left = `  --${o.flag}${o.value ? ` ${o.value}` : ''}`;
    const extras = [o.env ? `env ${o.env}` : '', o.defaultText ? `default ${o.defaultText}` : ''].filter(Boolean).join('; ');
    lines.push(`${left.padEnd(24)}${o.help}${extras ? ` (${extras})` : ''}`);
  }
  lines.push(
    '',
    'Every page, API call and WebSocket needs the access token: open the URL printed at start (it ends in',
    '?token=…, which the page trades for a cookie) or send "Authorization: Bearer TOKEN" from scripts.',
    '',
  );
  return lines.join('\n');
}

/** Parses argv (without `node script`) and the environment. Pure: no IO. */
export function parseCli(args: readonly string[], env: Readonly<Record<string, string | undefined>>): CliResult {
  let command: Command = 'serve';
  let rest = args;
  const first = args[0];
  if (first !== undefined && (COMMANDS as readonly string[]).includes(first)) {
    command = first as Command;
    rest = args.slice(1);
  }
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      return { kind: 'error', message: `unexpected argument "${arg}"${COMMANDS.includes(arg as Command) ? ' (a command must come first)' : ''}` };
    }
    const [, name = '', inline] = match;
    const spec = BY_FLAG.get(name);
    if (!spec) return { kind: 'error', message: `unknown option --${name}` };
    if (!spec.commands.includes(command)) return { kind: 'error', message: `--${name} does not apply to \`proclens ${command}\`` };
    if (spec.value === null) {
      if (inline !== undefined) return { kind: 'error', message: `--${name} takes no value` };
      flags.set(name, true);
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      return { kind: 'error', message: `--${name} needs a value (${spec.value})` };
    }
    flags.set(name, value);
  }
  if (flags.has('help')) return { kind: 'help', command };
  if (flags.has('version')) return { kind: 'version' };
  return buildSettings(command, flags, env);
}

function buildSettings(command: Command, flags: ReadonlyMap<string, string | true>, env: Readonly<Record<string, string | undefined>>): CliResult {
  /** A flag's value, else its environment variable (for options of this command only). */
  const text = (flag: string): string | undefined => {
    const value = flags.get(flag);
    if (typeof value === 'string') return value;
    const spec = BY_FLAG.get(flag);
    return spec?.env && spec.commands.includes(command) ? env[spec.env] || undefined : undefined;
  };
  const error = (message: string): CliResult => ({ kind: 'error', message });

  const portText = text('port') ?? (command === 'agent' ? undefined : String(DEFAULT_PORT));
  const port = portText === undefined ? null : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (port !== null && !(port >= 0 && port <= 65535)) return error(`port must be a number from 0 to 65535, not "${portText}"`);
  const intervalText = text('interval') ?? '1000';
  const intervalMs = /^\d+$/.test(intervalText) ? Number(intervalText) : NaN;
  if (!(intervalMs >= 100 && intervalMs <= 60_000)) return error(`interval must be milliseconds from 100 to 60000, not "${intervalText}"`);
  const budgetText = text('cpu-budget') ?? '3';
  const cpuBudget = /^\d+(\.\d+)?$/.test(budgetText) ? Number(budgetText) : NaN;
  if (!(cpuBudget >= 1 && cpuBudget <= 100)) return error(`cpu budget must be a percentage from 1 to 100, not "${budgetText}"`);
  const rewindText = text('rewind') ?? '15';
  const rewindMinutes = /^\d+$/.test(rewindText) ? Number(rewindText) : NaN;
  if (!(rewindMinutes >= 0 && rewindMinutes <= 60)) return error(`rewind must be minutes from 0 to 60, not "${rewindText}"`);

  const share = flags.has('share');
  const host = text('host') ?? (share ? '0.0.0.0' : '127.0.0.1');
  if (!/^[\w.:-]+$/.test(host)) return error(`host must be an address such as 127.0.0.1 or 0.0.0.0, not "${host}"`);
  if (share && isLoopback(host)) return error('--share is for people on other machines: bind beyond loopback (--host 0.0.0.0, the default with --share)');
  const token = text('token') ?? null;
  if (token !== null && !/^[\w.~-]{16,256}$/.test(token)) return error('token must be 16 to 256 characters of letters, digits, ".", "_", "~" or "-"');
  const allowedHosts = (text('allowed-hosts') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (allowedHosts.some((h) => !/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(h))) return error('allowed hosts must be host names or addresses, separated by commas');

  const record = text('record') ?? null;
  const replay = text('replay') ?? null;
  if (record && replay) return error('--record and --replay cannot be used together');
  const nats = text('nats') ?? null;
  if ((command === 'agent' || command === 'hub') && !nats) return error(`\`proclens ${command}\` needs --nats URL (e.g. nats://user:pass@127.0.0.1:4222)`);
  const name = text('name') ?? null;
  if (name !== null && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) {
    return error('name must be 1 to 63 letters, digits, "_" or "-", starting with a letter or digit (it becomes a NATS subject)');
  }
  return {
    kind: 'run',
    settings: {
      command,
      port,
      host,
      token,
      allowedHosts,
      open: flags.has('open'),
      share,
      dockerHost: text('docker-host') ?? null,
      podmanHost: text('podman-host') ?? null,
      procRoot: (text('proc-root') ?? '/proc').replace(/\/+$/, '') || '/proc',
      intervalMs,
      cpuBudget,
      revealSecrets: flags.has('reveal-secrets') || text('reveal-secrets') === '1',
      verbose: flags.has('verbose'),
      record,
      replay,
      rewindMinutes,
      nats,
      name,
      natsCreds: text('nats-creds') ?? null,
      natsCa: text('nats-ca') ?? null,
    },
  };
}
