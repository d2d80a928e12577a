import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { repoRoot } from './lab.ts';

/**
 * README command lines run as a user's shell runs them (`bash -c`, exec'd, so the pid is the
 * command's own), with their output kept and the process group cleaned up whatever happens.
 */

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When the process itself exited (its own `exit` event), not when a test got round to it. */
  at: number;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exit: Promise<Exit>;
  /** The banner's addresses, once the server printed them; rejects if the command exits first. */
  urls(): Promise<string[]>;
  /** SIGTERM, then SIGKILL to the group after 10 s; resolves on exit. */
  stop(): Promise<Exit>;
}

/** Variables a user's shell would not have, or that would point the server somewhere else. */
const SCRUB = ['PROCLENS_URL', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'PORT', 'LAB_DIR'];
const running = new Set<Running>();

/** The environment of a fresh shell plus `env` (npm's own variables removed: npm sets them again). */
export function shellEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_') && !SCRUB.includes(k)) base[k] = v;
  return { ...base, ...env };
}

/** Runs one command line through bash in the repository, as typed. */
export function runLine(line: string, env: Record<string, string | undefined> = {}): Running {
  const child = spawn('bash', ['-c', `exec ${line}`], { cwd: repoRoot, env: shellEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const pid = child.pid ?? 0;
  const handle: Running = {
    child,
    pid,
    stdout: () => out,
    stderr: () => err,
    exit,
    urls: () =>
      new Promise<string[]>((resolve, reject) => {
        const timer = setInterval(() => {
          // The banner ends with a warning about the token (with --share, about the presenter's
          // address); every address is printed before it.
          if (/The address holds an access token|The audience address is read-only/.test(out)) {
            clearInterval(timer);
            resolve([...out.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]));
          }
        }, 20);
        void exit.then((e) => {
          clearInterval(timer);
          reject(new Error(`\`${line}\` exited (${e.code ?? e.signal}) before printing its address:\n${out}\n${err}`));
        });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => killGroup(pid), 10_000);
        await exit;
        clearTimeout(timer);
      }
      killGroup(pid);
      running.delete(handle);
      return exit;
    },
  };
  running.add(handle);
  return handle;
}

/** Stops whatever `runLine` started and is still running (for afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((r) => r.stop()));
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** `/proc/PID/stat` fields after the command name (field 3 onwards), or null once it is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Whether a pid is a live process (a zombie has exited). */
export function isAlive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== null && fields[0] !== 'Z';
}

/** The children of a process, from /proc. */
export function childPids(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => statFields(pid)?.[1] === String(parent));
}

/** The IPv4 addresses with a listening TCP socket on `port` (`/proc/net/tcp`, state 0A). */
export function listeningAddresses(port: number): string[] {
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  const found: string[] = [];
  for (const row of rows) {
    const [, local = '', , state] = row.trim().split(/\s+/);
    const [ip = '', hexPort = ''] = local.split(':');
    if (state !== '0A' || parseInt(hexPort, 16) !== port) continue;
    // Little-endian bytes: 0100007F is 127.0.0.1.
    found.push([3, 2, 1, 0].map((i) => parseInt(ip.slice(i * 2, i * 2 + 2), 16)).join('.'));
  }
  return found;
}

/** A port nothing listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a port can be listened on (on every interface, as the server would check it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls until `check` answers a value; the deadline is generous (shared, noisy machine). */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
