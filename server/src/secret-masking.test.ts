import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDetailSchema } from '@proclens/shared';
import type { ProcessDetail } from '@proclens/shared';
import { SECRET_SAMPLES } from '@proclens/shared/testing';
import { spawnProclens } from './spawn-proclens.ts';
import type { ProclensProcess } from './spawn-proclens.ts';

// The real `proclens` command in its own process, reading the real /proc, asked over HTTP (with
// the token its banner printed, if any) about real processes whose environments hold one secret
// of each class masking knows.

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const PLAIN = { PATH: '/usr/bin:/bin', GREETING: 'hello', HOME: '/tmp' };
const SECRET_ENV = { ...PLAIN, ...Object.fromEntries(SECRET_SAMPLES.map((s) => [s.name, s.value])) };
/** Command lines are shown as they are (`ps` shows them to every user): this one says so. */
const ARGV = ['/bin/sh', '-c', 'sleep 120', 'proclens-masking-test', '--db-password=argv-is-not-masked'];
const DEADLINE_MS = 10_000;

const children: ChildProcess[] = [];
let server: ProclensProcess;
let revealing: ProclensProcess | undefined;

function startHolder(wrapper: string[] = []): ChildProcess & { pid: number } {
  const command = [...wrapper, ...ARGV];
  const child = spawn(command[0] ?? '', command.slice(1), { env: SECRET_ENV, stdio: 'ignore', detached: true });
  if (child.pid === undefined) throw new Error('could not start the process holding the secrets');
  children.push(child);
  return child as ChildProcess & { pid: number };
}

/** The detail of `pid`, polled until the server has seen the process run ARGV (a wrapper such as
 * setpriv is seen for a moment before it execs); with the raw body. */
async function readDetail(from: ProclensProcess, pid: number): Promise<{ text: string; detail: ProcessDetail }> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const res = await from.get(`/api/processes/${pid}`);
    const text = await res.text();
    if (res.status === 200) {
      const detail = processDetailSchema.parse(JSON.parse(text));
      if (detail.argv[0] === ARGV[0]) return { text, detail };
    }
    if (Date.now() > deadline) throw new Error(`/api/processes/${pid}: HTTP ${res.status} ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const holders: Array<{ who: string; text: string; detail: ProcessDetail }> = [];

beforeAll(async () => {
  server = await spawnProclens();
  const own = startHolder();
  holders.push({ who: 'a process of the server’s own user', ...(await readDetail(server, own.pid)) });
  if (isRoot) {
    const other = startHolder(['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--']);
    holders.push({ who: 'another user’s process', ...(await readDetail(server, other.pid)) });
  }
}, 60_000);

afterAll(async () => {
  for (const child of children.splice(0)) if (child.pid) process.kill(-child.pid, 'SIGKILL');
  await Promise.all([server?.stop(), revealing?.stop()]);
});

describe('GET /api/processes/:pid from the real command', () => {
  it('reads each holder’s environment (so the checks below look at real values)', () => {
    expect(holders.length).toBe(isRoot ? 2 : 1);
    for (const { detail } of holders) {
      expect(detail.environ.state).toBe('ok');
      expect(detail.environ.vars).toContainEqual({ name: 'GREETING', value: 'hello', masked: false });
      expect(detail.environ.vars).toContainEqual({ name: 'PATH', value: '/usr/bin:/bin', masked: false });
    }
  });

  it.each(SECRET_SAMPLES.map((s) => [s.what, s] as const))('masks a %s in the environment', (_what, sample) => {
    for (const { who, text, detail } of holders) {
      expect(detail.environ.vars, who).toContainEqual({ name: sample.name, value: sample.shown, masked: true });
      for (const secret of sample.secrets) expect(text, `${who}: ${secret}`).not.toContain(secret);
    }
  });

  it('shows the command line as it is, as ps does', () => {
    for (const { detail } of holders) expect(detail.argv).toEqual(ARGV);
  });

  it('shows every value with --reveal-secrets, and only then', async () => {
    revealing = await spawnProclens({ args: ['--reveal-secrets'] });
    const { text, detail } = await readDetail(revealing, holders[0]?.detail.process.pid ?? 0);
    for (const sample of SECRET_SAMPLES) {
      expect(detail.environ.vars).toContainEqual({ name: sample.name, value: sample.value, masked: false });
      for (const secret of sample.secrets) expect(text).toContain(secret);
    }
  }, 60_000);
});
