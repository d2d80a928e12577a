import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `proclens` command, as `npm install -g` or `npx proclens` runs it. */
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/proclens.js');
/** Start-up prints one URL; a cold tsx compile on a busy machine can take a while. */
const START_TIMEOUT_MS = 30_000;

export interface ProclensProcess {
  child: ChildProcess & { pid: number };
  /** The URL the banner printed, `?token=` included when there is one. */
  url: URL;
  /** The token from that URL, or null when the banner printed none. */
  token: string | null;
  /** GET `pathname` the way a script would: `Authorization: Bearer <token>` when there is a token. */
  get: (pathname: string) => Promise<Response>;
  stop: () => Promise<void>;
}

export interface SpawnOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** A command the server runs under, e.g. `setpriv --reuid=… --` to drop privileges. */
  wrapper?: string[];
}

/**
 * Starts the real server as a separate process, as a user would (`proclens --port 0`), waits
 * for the URL it prints and keeps its token. For tests only: it starts the process the test
 * is about, and `stop()` ends that process only (by its pid).
 */
export async function spawnProclens(options: SpawnOptions = {}): Promise<ProclensProcess> {
  const command = [...(options.wrapper ?? []), process.execPath, BIN, '--port', '0', ...(options.args ?? [])];
  const child = spawn(command[0] ?? '', command.slice(1), {
    env: options.env ?? { PATH: '/usr/bin:/bin', DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command.join(' ')}`);
  const started = child as ChildProcess & { pid: number };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const printed = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms:\n${stdout}\n${stderr}`)), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before printing its URL:\n${stderr}`));
    });
  });
  const url = new URL(printed);
  const token = url.searchParams.get('token');
  return {
    child: started,
    url,
    token,
    get: (pathname) => fetch(new URL(pathname, url.origin), { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
