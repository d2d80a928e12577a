import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDetailSchema, snapshotSchema } from '@proclens/shared';
import type { ProcessDetail } from '@proclens/shared';
import { spawnProclens } from './spawn-proclens.ts';

// What the server can read with how much privilege: the real command, started as root, as a
// throw-away user with ambient capabilities (setpriv), and as root with only two capabilities
// (what the compose service keeps), asked about real processes of root and of another user.
// The Docker side (the socket, containerd's fds) is in e2e/tests/least-privilege.spec.ts.

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
/** Unique per run; useradd allows 32 characters. */
const USER = `proclens-lp${process.pid}`;
const DEADLINE_MS = 10_000;

type Denied = ProcessDetail['notPermitted'];
const ALL_DENIED: Denied = ['cwd', 'environ', 'exe', 'fd', 'ns'];

/** setpriv arguments giving a process exactly `caps` (ambient, so they survive exec into node). */
function onlyCaps(caps: string[]): string[] {
  const list = ['-all', ...caps.map((c) => `+${c}`)].join(',');
  return [`--inh-caps=${list}`, `--ambient-caps=${list}`, `--bounding-set=${list}`];
}
const asUser = (caps: string[]) => ['setpriv', `--reuid=${USER}`, `--regid=${USER}`, '--init-groups', ...onlyCaps(caps), '--'];
const asRootWith = (caps: string[]) => ['setpriv', ...onlyCaps(caps), '--'];

/**
 * The matrix, as measured on Linux 6.x: which reads the kernel refuses, for a process of root
 * (all capabilities) and one of another user (no capabilities). environ and fd/ are files of
 * mode 0400/0500 owned by the process's user (CAP_DAC_READ_SEARCH passes that), and every read
 * but listing fd/ is a ptrace-read check (same user with no fewer capabilities, or CAP_SYS_PTRACE).
 */
const MODES: Array<{ mode: string; wrapper: () => string[]; uid: () => number; root: Denied; other: Denied }> = [
  { mode: 'root', wrapper: () => [], uid: () => 0, root: [], other: [] },
  {
    mode: 'a user with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH',
    wrapper: () => asUser(['sys_ptrace', 'dac_read_search']),
    uid: userId,
    root: [],
    other: [],
  },
  { mode: 'a user with CAP_SYS_PTRACE only', wrapper: () => asUser(['sys_ptrace']), uid: userId, root: ['environ', 'fd'], other: ['environ', 'fd'] },
  {
    mode: 'a user with CAP_DAC_READ_SEARCH only',
    wrapper: () => asUser(['dac_read_search']),
    uid: userId,
    root: ['cwd', 'environ', 'exe', 'ns'],
    other: ['cwd', 'environ', 'exe', 'ns'],
  },
  { mode: 'a user without capabilities', wrapper: () => asUser([]), uid: userId, root: ALL_DENIED, other: ALL_DENIED },
  {
    mode: 'root with only CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (the compose service)',
    wrapper: () => asRootWith(['sys_ptrace', 'dac_read_search']),
    uid: () => 0,
    root: [],
    other: [],
  },
  // Root owns root's files but needs CAP_SYS_PTRACE for processes with more capabilities, and
  // CAP_DAC_READ_SEARCH for another user's files.
  { mode: 'root with CAP_SYS_PTRACE only', wrapper: () => asRootWith(['sys_ptrace']), uid: () => 0, root: [], other: ['environ', 'fd'] },
  { mode: 'root without capabilities', wrapper: () => asRootWith([]), uid: () => 0, root: ['cwd', 'environ', 'exe', 'ns'], other: ALL_DENIED },
];

function userId(): number {
  return Number(execFileSync('id', ['-u', USER]).toString().trim());
}

const children: ChildProcess[] = [];
let rootHolder: number;
let otherHolder: number;
/** What /proc/PID/exe reads for `sleep`: the binary with symlinks (a merged /usr) resolved. */
const SLEEP_EXE = realpathSync('/bin/sleep');

function startSleeper(wrapper: string[], env: NodeJS.ProcessEnv): number {
  const command = [...wrapper, 'sleep', '300'];
  const child = spawn(command[0] ?? '', command.slice(1), { env, cwd: '/', stdio: 'ignore', detached: true });
  if (child.pid === undefined) throw new Error('could not start sleep');
  children.push(child);
  return child.pid;
}

beforeAll(() => {
  if (!isRoot) return;
  const groups = execFileSync('getent', ['group']).toString();
  // In the docker group where there is one, as the documented setup has it.
  const docker = /^docker:/m.test(groups) ? ['--groups', 'docker'] : [];
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', ...docker, USER]);
  rootHolder = startSleeper([], { PATH: '/usr/bin:/bin', DATABASE_URL: 'postgres://app:lp-s3cret@db/app' });
  otherHolder = startSleeper(['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'], { PATH: '/usr/bin:/bin', OWNER: 'nobody' });
});

afterAll(() => {
  for (const child of children.splice(0)) if (child.pid) process.kill(-child.pid, 'SIGKILL');
  if (!isRoot) return;
  // tsx's compile cache of the throw-away user, then the user (and its group).
  rmSync(path.join(os.tmpdir(), `tsx-${userId()}`), { recursive: true, force: true });
  execFileSync('userdel', [USER]);
});

async function readDetail(get: (path: string) => Promise<Response>, pid: number): Promise<ProcessDetail> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const res = await get(`/api/processes/${pid}`);
    if (res.status === 200) return processDetailSchema.parse(await res.json());
    if (Date.now() > deadline) throw new Error(`/api/processes/${pid}: HTTP ${res.status} ${await res.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each field is there exactly when the kernel allowed it, and says so when it did not. */
function expectReads(detail: ProcessDetail, denied: Denied): void {
  expect(detail.notPermitted).toEqual(denied);
  expect(detail.argv).toEqual(['sleep', '300']);
  expect(detail.exe).toBe(denied.includes('exe') ? null : SLEEP_EXE);
  expect(detail.cwd).toBe(denied.includes('cwd') ? null : '/');
  expect(detail.fdCount === null).toBe(denied.includes('fd'));
  expect(detail.environ.state).toBe(denied.includes('environ') ? 'denied' : 'ok');
  expect(detail.namespaces.length).toBeGreaterThan(0);
  expect(detail.namespaces.every((ns) => (ns.inode === null) === denied.includes('ns'))).toBe(true);
}

describe.runIf(isRoot)('least privilege: what the real server reads', () => {
  it.each(MODES.map((m) => [m.mode, m] as const))(
    'as %s',
    async (_mode, m) => {
      const server = await spawnProclens({ wrapper: m.wrapper() });
      try {
        // It runs with exactly the privileges the mode says.
        const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
        expect(status).toMatch(new RegExp(`^Uid:\\t${m.uid()}\\t`, 'm'));
        // The tree needs no privilege: both holders are listed with their command lines.
        // A crowded first scan reads old processes from `stat` alone and their command lines over the
        // next ticks (the scanner's budget), so the snapshot is asked until they are in.
        const argvOf = async (): Promise<unknown[]> => {
          const snapshot = snapshotSchema.parse(await (await server.get('/api/snapshot')).json());
          return [rootHolder, otherHolder].map((pid) => snapshot.processes.find((p) => p.pid === pid)?.argv);
        };
        await expect.poll(argvOf, { timeout: DEADLINE_MS }).toEqual([
          ['sleep', '300'],
          ['sleep', '300'],
        ]);

        const root = await readDetail(server.get, rootHolder);
        expectReads(root, m.root);
        if (!m.root.includes('environ'))
          expect(root.environ.vars).toContainEqual({ name: 'DATABASE_URL', value: 'postgres://app:••••••@db/app', masked: true });
        expectReads(await readDetail(server.get, otherHolder), m.other);
      } finally {
        await server.stop();
      }
    },
    60_000,
  );
});
