import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, OPTIONS, buildUsage, parseCli } from './parse-cli.ts';
import type { CliResult, Settings } from './parse-cli.ts';

const DEFAULTS: Settings = {
  command: 'serve',
  port: DEFAULT_PORT,
  host: '127.0.0.1',
  token: null,
  allowedHosts: [],
  open: false,
  share: false,
  dockerHost: null,
  podmanHost: null,
  procRoot: '/proc',
  intervalMs: 1000,
  cpuBudget: 3,
  revealSecrets: false,
  verbose: false,
  record: null,
  replay: null,
  rewindMinutes: 15,
  nats: null,
  name: null,
  natsCreds: null,
  natsCa: null,
};

function settings(result: CliResult): Settings {
  if (result.kind !== 'run') throw new Error(`expected settings, got ${JSON.stringify(result)}`);
  return result.settings;
}

function errorOf(result: CliResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.message;
}

describe('parseCli', () => {
  it('parseCli answers the defaults for no flags and an empty environment', () => {
    expect(parseCli([], {})).toEqual({ kind: 'run', settings: DEFAULTS });
    expect(DEFAULT_PORT).toBe(7700);
  });

  it('parseCli reads every flag', () => {
    const args = [
      '--port',
      '8080',
      '--host=::1',
      '--docker-host',
      'tcp://127.0.0.1:2375',
      '--proc-root=/host/proc/',
      '--interval',
      '250',
      '--reveal-secrets',
      '--verbose',
    ];
    expect(settings(parseCli(args, {}))).toEqual({
      ...DEFAULTS,
      port: 8080,
      host: '::1',
      dockerHost: 'tcp://127.0.0.1:2375',
      procRoot: '/host/proc',
      intervalMs: 250,
      revealSecrets: true,
      verbose: true,
    });
  });

  it('parseCli reads the environment variables', () => {
    const env = {
      PORT: '9000',
      PROCLENS_HOST: 'localhost',
      DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
      PROCLENS_PROC_ROOT: '/host/proc',
      PROCLENS_INTERVAL: '5000',
      PROCLENS_REVEAL_SECRETS: '1',
    };
    expect(settings(parseCli([], env))).toEqual({
      ...DEFAULTS,
      port: 9000,
      host: 'localhost',
      dockerHost: 'unix:///run/user/1000/docker.sock',
      procRoot: '/host/proc',
      intervalMs: 5000,
      revealSecrets: true,
      verbose: false,
    });
  });

  it('parseCli lets flags beat environment variables', () => {
    const env = { PORT: '9000', PROCLENS_HOST: '0.0.0.0', DOCKER_HOST: 'tcp://10.0.0.1:2375', PROCLENS_PROC_ROOT: '/x', PROCLENS_INTERVAL: '50' };
    const args = ['--port', '8000', '--host', '127.0.0.1', '--docker-host', 'unix:///d.sock', '--proc-root', '/proc', '--interval', '2000'];
    expect(settings(parseCli(args, env))).toMatchObject({ port: 8000, host: '127.0.0.1', dockerHost: 'unix:///d.sock', procRoot: '/proc', intervalMs: 2000 });
  });

  it('parseCli treats empty environment variables as unset', () => {
    expect(settings(parseCli([], { PORT: '', PROCLENS_HOST: '', DOCKER_HOST: '', PROCLENS_INTERVAL: '' }))).toEqual(DEFAULTS);
  });

  it('parseCli accepts port 0 to pick a free port', () => {
    expect(settings(parseCli(['--port=0'], {})).port).toBe(0);
  });

  it.each([
    [['--port=abc'], {}, /port must be a number from 0 to 65535, not "abc"/],
    [['--port', '70000'], {}, /port must be a number from 0 to 65535, not "70000"/],
    [['--port', '-1'], {}, /port/],
    [['--port', '80.5'], {}, /port/],
    [[], { PORT: 'http' }, /port must be a number from 0 to 65535, not "http"/],
    [['--interval', '5'], {}, /interval must be milliseconds from 100 to 60000, not "5"/],
    [['--interval=60001'], {}, /interval/],
    [['--interval', '1s'], {}, /interval/],
    [[], { PROCLENS_INTERVAL: '10' }, /interval/],
    [['--bogus'], {}, /unknown option --bogus/],
    [['--port', '1', 'serve'], {}, /unexpected argument "serve" \(a command must come first\)/],
    [['agent'], {}, /needs --nats URL/],
    [['hub', '--port', '1'], {}, /needs --nats URL/],
    [['agent', '--nats', 'nats://x', '--record', 'f'], {}, /--record does not apply to `proclens agent`/],
    [['--nats', 'nats://x'], {}, /--nats does not apply to `proclens serve`/],
    [['--record', 'a', '--replay', 'b'], {}, /cannot be used together/],
    [['--share', '--host', '127.0.0.1'], {}, /--share is for people on other machines/],
    [['--rewind', '61'], {}, /rewind must be minutes from 0 to 60/],
    [['agent', '--nats', 'n', '--name', 'a.b'], {}, /name must be/],
    [['--allowed-hosts', 'a b'], {}, /allowed hosts/],
    [['-p', '80'], {}, /unexpected argument "-p"/],
    [['--port'], {}, /--port needs a value/],
    [['--port', '--verbose'], {}, /port/],
    [['--docker-host='], {}, /--docker-host needs a value/],
    [['--verbose=yes'], {}, /--verbose takes no value/],
    [['--host', 'a b'], {}, /host must be an address/],
    [['--token', 'short'], {}, /token must be 16 to 256 characters/],
    [['--cpu-budget', '0'], {}, /cpu budget must be a percentage from 1 to 100, not "0"/],
    [[], { PROCLENS_CPU_BUDGET: 'lots' }, /cpu budget/],
    [[], { PROCLENS_TOKEN: 'has spaces in it, too many' }, /token must be/],
  ] as const)('parseCli refuses %j with env %j', (args, env, message) => {
    expect(errorOf(parseCli(args, env))).toMatch(message);
  });

  it.each([
    ['--proc-root', '--verbose'],
    ['--docker-host', '--reveal-secrets'],
  ])('parseCli does not take the flag after %s as its value', (flag, next) => {
    // `--proc-root --verbose` forgot the directory: reading "--verbose" as one hides the mistake.
    expect(errorOf(parseCli([flag, next], {}))).toMatch(new RegExp(`${flag} needs a value`));
  });

  it('parseCli answers help for --help, before anything else is checked', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help', command: 'serve' });
    expect(parseCli(['--port', '99999', '--help'], { PORT: 'x' })).toEqual({ kind: 'help', command: 'serve' });
    expect(parseCli(['hub', '--help'], {})).toEqual({ kind: 'help', command: 'hub' });
    expect(buildUsage('serve')).toMatch(/--port N/);
  });

  it('parseCli answers version for --version', () => {
    expect(parseCli(['--version'], {})).toEqual({ kind: 'version' });
  });

  it('parseCli accepts binding beyond loopback: the server then demands a token', () => {
    expect(settings(parseCli(['--host', '0.0.0.0'], {})).host).toBe('0.0.0.0');
    expect(settings(parseCli([], { PROCLENS_HOST: '::' })).host).toBe('::');
  });

  it('parseCli reads the scanner CPU budget from the flag or the environment', () => {
    expect(settings(parseCli(['--cpu-budget', '12.5'], {})).cpuBudget).toBe(12.5);
    expect(settings(parseCli([], { PROCLENS_CPU_BUDGET: '20' })).cpuBudget).toBe(20);
  });

  it('parseCli reads the token, extra host names and --open', () => {
    const parsed = settings(parseCli(['--token', 'abcdefghijklmnop', '--allowed-hosts', 'Box.local, dash.example ', '--open'], {}));
    expect(parsed).toMatchObject({ token: 'abcdefghijklmnop', allowedHosts: ['box.local', 'dash.example'], open: true });
    expect(settings(parseCli([], { PROCLENS_TOKEN: 'x'.repeat(32) })).token).toBe('x'.repeat(32));
  });

  it('parseCli keeps a proc root without its trailing slashes', () => {
    expect(settings(parseCli(['--proc-root', '/host/proc///'], {})).procRoot).toBe('/host/proc');
  });

  it('parseCli reveals secrets only for PROCLENS_REVEAL_SECRETS=1', () => {
    expect(settings(parseCli([], { PROCLENS_REVEAL_SECRETS: 'true' })).revealSecrets).toBe(false);
    expect(settings(parseCli([], { PROCLENS_REVEAL_SECRETS: '1' })).revealSecrets).toBe(true);
  });

  it('parseCli reads the agent and hub commands and their NATS options', () => {
    expect(settings(parseCli(['agent', '--nats', 'nats://u:p@127.0.0.1:4222', '--name', 'node-1', '--nats-creds', '/c', '--nats-ca', '/ca'], {}))).toEqual({
      ...DEFAULTS,
      command: 'agent',
      port: null,
      nats: 'nats://u:p@127.0.0.1:4222',
      name: 'node-1',
      natsCreds: '/c',
      natsCa: '/ca',
    });
    expect(settings(parseCli(['hub', '--port', '9000'], { PROCLENS_NATS: 'nats://h:4222' }))).toMatchObject({
      command: 'hub',
      port: 9000,
      nats: 'nats://h:4222',
    });
    expect(settings(parseCli(['agent', '--port', '9001'], { PROCLENS_NATS: 'nats://h:4222' })).port).toBe(9001);
  });

  it('parseCli binds beyond loopback by default with --share', () => {
    expect(settings(parseCli(['--share'], {}))).toMatchObject({ share: true, host: '0.0.0.0' });
    expect(settings(parseCli(['--share', '--host', '10.0.0.5'], {}))).toMatchObject({ share: true, host: '10.0.0.5' });
  });

  it('parseCli reads --record, --replay, --rewind and --podman-host', () => {
    expect(settings(parseCli(['--record', 'a.jsonl.gz', '--rewind', '0', '--podman-host', 'unix:///p.sock'], {}))).toMatchObject({
      record: 'a.jsonl.gz',
      rewindMinutes: 0,
      podmanHost: 'unix:///p.sock',
    });
    expect(settings(parseCli(['--replay', 'demo/lesson.jsonl.gz'], {})).replay).toBe('demo/lesson.jsonl.gz');
    expect(settings(parseCli([], { CONTAINER_HOST: 'unix:///run/podman/podman.sock' })).podmanHost).toBe('unix:///run/podman/podman.sock');
  });

  it.each(['serve', 'agent', 'hub'] as const)('buildUsage lists every option of %s with its environment variable, and no other', (command) => {
    const lines = buildUsage(command)
      .split('\n')
      .filter((line) => line.startsWith('  --'));
    for (const option of OPTIONS) {
      const line = lines.find((l) => l.startsWith(`  --${option.flag} `));
      expect(line !== undefined, `--${option.flag}`).toBe(option.commands.includes(command));
      if (line && option.env) expect(line).toContain(`env ${option.env}`);
    }
  });
});
