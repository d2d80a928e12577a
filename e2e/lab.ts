import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** A lab of its own, so the tests never touch a user's engine. */
export const LAB_DIR = process.env.E2E_LAB_DIR ?? '/tmp/proclens-e2e-lab';
export const DOCKER_HOST = `unix://${LAB_DIR}/docker.sock`;

/** Runs the docker CLI against the lab engine. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { env: { ...process.env, DOCKER_HOST }, timeout: 60_000 });
  return stdout;
}

export async function labUp(): Promise<void> {
  await run('bash', [path.join(repoRoot, 'scripts/lab-up.sh'), LAB_DIR], { timeout: 300_000, maxBuffer: 1 << 24 });
}

export async function labDown(): Promise<void> {
  await run('bash', [path.join(repoRoot, 'scripts/lab-down.sh'), LAB_DIR], { timeout: 600_000, maxBuffer: 1 << 24 });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server printed on stdout so far (the banner: with --share, the audience line). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the real `proclens` command (what `npm start` runs after building) on a free port and waits for its URL. */
export async function startServer(
  env: Record<string, string>,
  args: string[] = [],
  wrapper: string[] = [],
  command: 'serve' | 'hub' = 'serve',
): Promise<ServerProcess> {
  // `wrapper`: a command the server runs under, e.g. `setpriv --reuid=… --` (least-privilege spec).
  const [file = process.execPath, ...rest] = [...wrapper, process.execPath, path.join(repoRoot, 'bin/proclens.js'), command, '--port', '0', ...args];
  const child = spawn(file, rest, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    output: () => stdout,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
