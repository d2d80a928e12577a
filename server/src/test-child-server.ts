import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/proclens.js');
const START_MS = 30_000;

export interface ChildServer {
  /** The server's own pid: for `/proc/<pid>/status` and to tell it is still the same process. */
  pid: number;
  port: number;
  token: string;
  base: string;
  /** Everything the server wrote to stderr (its JSON log lines) so far. */
  stderr(): string;
  /** Null while it runs. */
  exitCode(): number | null | 'running';
  close(): Promise<void>;
}

/**
 * The `proclens` command as users start it (`bin/proclens.js`), as a child process: the tests
 * that attack it watch its pid, its memory and its logs, which an in-process server would share
 * with the test runner. No engine unless `DOCKER_HOST` is given.
 */
export async function startChildServer(args: string[], env: Record<string, string> = {}): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, [BIN, '--port', '0', ...args], {
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exit: number | null | 'running' = 'running';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exit = code;
      resolve();
    }),
  );
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), START_MS);
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /(http:\/\/\S+\/\?token=\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(new URL(match[1]));
      }
    });
    void exited.then(() => reject(new Error(`server exited with ${String(exit)}: ${stderr}`)));
  });
  return {
    pid: child.pid ?? -1,
    port: Number(url.port),
    token: url.searchParams.get('token') ?? '',
    base: `http://${url.hostname}:${url.port}`,
    stderr: () => stderr,
    exitCode: () => exit,
    close: async () => {
      if (exit !== 'running') return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process in KiB, from `/proc/<pid>/status` (`man 5 proc`: VmRSS). */
export async function readRssKiB(pid: number): Promise<number> {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}
