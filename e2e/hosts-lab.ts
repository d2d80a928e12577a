import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LAB_DIR, repoRoot } from './lab.ts';

/**
 * Simulated hosts for the many-hosts e2e: each its own pid namespace (unshare) with its own
 * dockerd and agent, all publishing to one real nats-server. Everything is stopped by pid.
 */

const run = promisify(execFile);
/** Under the e2e lab's own folder name, so parallel runs with other E2E_LAB_DIRs never meet. */
export const HOSTS_DIR = `${LAB_DIR}-hosts`;

export interface SimHost {
  name: string;
  dir: string;
  dockerHost: string;
  /** Output of unshare, the init script and the agent. */
  output(): string;
  /** Host pid of the namespace's pid 1 (the init script), once it is running. */
  initPid(): number | null;
  /** Host pid of the agent, while it runs. */
  agentPid(): number | null;
  /** Kills the namespace (its pid 1) and waits for unshare to exit. */
  kill(): Promise<void>;
  /** kill(), then removes what its dockerd left on disk (slow on a busy machine). */
  stop(): Promise<void>;
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Starts one simulated host; resolves once its agent says it is publishing. */
export async function startSimHost(name: string, natsUrl: string): Promise<SimHost> {
  const dir = path.join(HOSTS_DIR, name);
  let output = '';
  const child: ChildProcess = spawn(
    'unshare',
    ['--pid', '--fork', '--mount-proc', '--uts', '--kill-child', 'bash', path.join(repoRoot, 'e2e/sim-host.sh'), name, dir],
    {
      cwd: repoRoot,
      env: { ...process.env, PROCLENS_NATS: natsUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  rememberPid(child.pid);
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const initPid = (): number | null => (child.pid ? (children(child.pid)[0] ?? null) : null);
  const host: SimHost = {
    name,
    dir,
    dockerHost: `unix://${dir}/docker.sock`,
    output: () => output,
    initPid,
    agentPid: () => {
      const init = initPid();
      return init === null ? null : (children(init).find((pid) => cmdline(pid).includes('proclens.js agent')) ?? null);
    },
    kill: async () => {
      // pid 1 of the namespace: the kernel then kills every process in it (dockerd, containers, agent).
      const init = initPid();
      if (init !== null) process.kill(init, 'SIGKILL');
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        });
      }
    },
    stop: async () => {
      await host.kill();
      await run('bash', [path.join(repoRoot, 'scripts/lab-down.sh'), dir], { timeout: 600_000 }).catch(() => undefined);
    },
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start in time:\n${output}`)), 180_000);
      const check = (): void => {
        if (output.includes('proclens agent is publishing')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code}:\n${output}`));
      });
    });
  } catch (err) {
    await host.stop();
    throw err;
  }
  return host;
}

/** Runs the docker CLI against one simulated host's engine. */
export async function dockerOn(host: SimHost, ...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { env: { ...process.env, DOCKER_HOST: host.dockerHost }, timeout: 60_000 });
  return stdout;
}

/**
 * Last resort if the test process dies without its afterAll: SIGKILL to every pid started here.
 * `unshare --kill-child` then takes each namespace down with its unshare.
 */
const started = new Set<number>();
function rememberPid(pid: number | undefined): void {
  if (pid) started.add(pid);
}
export function trackPid(pid: number | undefined): void {
  rememberPid(pid);
}
process.once('exit', () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Removes the hosts' folder once every host is down. */
export function removeHostsDir(): void {
  rmSync(HOSTS_DIR, { recursive: true, force: true });
}
