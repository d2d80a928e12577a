/** Settings from flags, then environment variables, then defaults. */
export interface Settings {
  port: number;
  host: string;
  dockerHost: string | undefined;
  procRoot: string;
  intervalMs: number;
  /** Per cent of one core the scanner may spend re-reading known processes (births are always read). */
  cpuBudget: number;
  revealSecrets: boolean;
  verbose: boolean;
  /** Access token given by the user; one is generated at start when binding beyond loopback. */
  token: string | null;
  /** Extra host names the server answers to (behind a proxy or by a DNS name). */
  allowedHosts: string[];
  /** Open the dashboard in a browser once listening. */
  open: boolean;
}

export type CliResult = { kind: 'run'; settings: Settings } | { kind: 'help' } | { kind: 'version' } | { kind: 'error'; message: string };

export const DEFAULT_PORT = 7700;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export const USAGE = `Usage: proclens [options]

Shows the host's live process tree and Docker containers in the browser.

Options:
  --port N             port to listen on (env PORT; default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR          address to bind (env PROCLENS_HOST; default 127.0.0.1). Beyond loopback
                       an access token is required: one is generated and printed in the URL
  --token TOKEN        access token (env PROCLENS_TOKEN); required on every request when set
  --allowed-hosts LIST extra comma-separated host names to answer to (env PROCLENS_ALLOWED_HOSTS)
  --docker-host URL    Docker engine (env DOCKER_HOST; default unix:///var/run/docker.sock)
  --proc-root DIR      where /proc is mounted (env PROCLENS_PROC_ROOT; default /proc)
  --interval MS        scan interval in milliseconds, 100-60000 (env PROCLENS_INTERVAL; default 1000)
  --cpu-budget PCT     share of one core the scanner may use to refresh known processes, 1-100
                       (env PROCLENS_CPU_BUDGET; default 3); new processes are always read at once
  --reveal-secrets     show secret-looking environment values instead of masking them
  --open               open the dashboard in the default browser
  --verbose            log debug events
  --help               show this help
  --version            show the version
`;

/** Parses argv (without `node script`) and the environment. Pure: no IO. */
export function parseCli(args: readonly string[], env: Readonly<Record<string, string | undefined>>): CliResult {
  const flags = new Map<string, string | true>();
  const valued = new Set(['port', 'host', 'docker-host', 'proc-root', 'interval', 'cpu-budget', 'token', 'allowed-hosts']);
  const boolean = new Set(['reveal-secrets', 'verbose', 'help', 'version', 'open']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) return { kind: 'error', message: `unexpected argument "${arg}"` };
    const [, name = '', inline] = match;
    if (boolean.has(name)) {
      if (inline !== undefined) return { kind: 'error', message: `--${name} takes no value` };
      flags.set(name, true);
    } else if (valued.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        return { kind: 'error', message: `--${name} needs a value` };
      }
      flags.set(name, value);
    } else {
      return { kind: 'error', message: `unknown option --${name}` };
    }
  }
  if (flags.has('help')) return { kind: 'help' };
  if (flags.has('version')) return { kind: 'version' };
  const text = (flag: string, envName: string): string | undefined => {
    const value = flags.get(flag);
    return typeof value === 'string' ? value : env[envName] || undefined;
  };

  const portText = text('port', 'PORT') ?? String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) return { kind: 'error', message: `port must be a number from 0 to 65535, not "${portText}"` };
  const intervalText = text('interval', 'PROCLENS_INTERVAL') ?? '1000';
  const intervalMs = /^\d+$/.test(intervalText) ? Number(intervalText) : NaN;
  if (!(intervalMs >= 100 && intervalMs <= 60_000)) {
    return { kind: 'error', message: `interval must be milliseconds from 100 to 60000, not "${intervalText}"` };
  }
  const budgetText = text('cpu-budget', 'PROCLENS_CPU_BUDGET') ?? '3';
  const cpuBudget = /^\d+(\.\d+)?$/.test(budgetText) ? Number(budgetText) : NaN;
  if (!(cpuBudget >= 1 && cpuBudget <= 100)) return { kind: 'error', message: `cpu budget must be a percentage from 1 to 100, not "${budgetText}"` };
  const host = text('host', 'PROCLENS_HOST') ?? '127.0.0.1';
  if (!/^[\w.:-]+$/.test(host)) return { kind: 'error', message: `host must be an address such as 127.0.0.1 or 0.0.0.0, not "${host}"` };
  const token = text('token', 'PROCLENS_TOKEN') ?? null;
  if (token !== null && !/^[\w.~-]{16,256}$/.test(token)) {
    return { kind: 'error', message: 'token must be 16 to 256 characters of letters, digits, ".", "_", "~" or "-"' };
  }
  const allowedHosts = (text('allowed-hosts', 'PROCLENS_ALLOWED_HOSTS') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return {
    kind: 'run',
    settings: {
      port,
      host,
      dockerHost: text('docker-host', 'DOCKER_HOST'),
      procRoot: (text('proc-root', 'PROCLENS_PROC_ROOT') ?? '/proc').replace(/\/+$/, '') || '/proc',
      intervalMs,
      cpuBudget,
      revealSecrets: flags.has('reveal-secrets') || env.PROCLENS_REVEAL_SECRETS === '1',
      verbose: flags.has('verbose'),
      token,
      allowedHosts,
      open: flags.has('open'),
    },
  };
}
