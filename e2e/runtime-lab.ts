import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from '@playwright/test';
import type { ProcessInfo, Snapshot } from '@proclens/shared';
import { fetchSnapshot } from './api.ts';
import { LAB_DIR, repoRoot } from './lab.ts';

const run = promisify(execFile);
/** A lab starts in seconds; a shared machine under heavy load can make it minutes. */
export const LAB_UP_MS = 300_000;
/** Removing a vfs storage tree took minutes under a load of 30 to 90 (see e2e/lab.ts). */
export const LAB_DOWN_MS = 600_000;

/** Each runtime's lab beside the Docker lab (`<E2E_LAB_DIR>-podman`…), so a left-over is easy to find. */
export const RUNTIME_LABS = { podman: `${LAB_DIR}-podman`, containerd: `${LAB_DIR}-ctrd`, rootless: `${LAB_DIR}-rootless` } as const;
export type RuntimeLab = keyof typeof RUNTIME_LABS;
const UP_SCRIPTS: Record<RuntimeLab, string> = { podman: 'lab-podman.sh', containerd: 'lab-containerd.sh', rootless: 'lab-rootless.sh' };

/** Runs a command (no shell) and returns its stdout; throws with its stderr on failure. */
export async function sh(command: string, args: readonly string[], env: Record<string, string> = {}, timeout = 120_000): Promise<string> {
  try {
    const { stdout } = await run(command, args, { env: { ...process.env, ...env }, timeout, maxBuffer: 1 << 24 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

/** Starts the runtime's lab (scripts/lab-*.sh) under its own directory; returns that directory. */
export async function runtimeLabUp(lab: RuntimeLab, env: Record<string, string> = {}): Promise<string> {
  const dir = RUNTIME_LABS[lab];
  await sh('bash', [path.join(repoRoot, 'scripts', UP_SCRIPTS[lab]), dir], env, LAB_UP_MS);
  return dir;
}

/** Removes the lab whatever state it is in: by its pid files, its process tree, and its user (rootless). */
export async function runtimeLabDown(lab: RuntimeLab): Promise<void> {
  await sh('bash', [path.join(repoRoot, 'scripts/lab-runtime-down.sh'), RUNTIME_LABS[lab]], {}, LAB_DOWN_MS);
}

/** Polls the server's snapshot until `pick` returns something (not undefined/null/false); returns it. */
export async function waitForSnapshot<T>(base: string, pick: (s: Snapshot) => T | null | undefined | false, timeout = 30_000): Promise<T> {
  let found: T | null | undefined | false;
  await expect
    .poll(
      async () => {
        found = pick(await fetchSnapshot(base));
        return Boolean(found);
      },
      { timeout, intervals: [100, 250, 500] },
    )
    .toBe(true);
  return found as T;
}

/** Host pids the server attributes to a container, ascending. */
export function attributed(s: Snapshot, id: string): number[] {
  return s.processes
    .filter((p) => p.containerId === id)
    .map((p) => p.pid)
    .sort((a, b) => a - b);
}

/** The process a pid names in a snapshot, or a test failure saying which is missing. */
export function proc(s: Snapshot, pid: number | null | undefined): ProcessInfo {
  const p = s.processes.find((x) => x.pid === pid);
  if (!p) throw new Error(`pid ${pid} is not in the snapshot`);
  return p;
}

/** The runtime link where there is one, else the kernel parent: how the runtime view draws it. */
export function drawnParent(s: Snapshot, p: ProcessInfo): ProcessInfo {
  return proc(s, p.logicalParent ?? p.ppid);
}

/** Host pids in a `… top`/`task ps` table's first column (after the header), ascending. */
export function parsePidColumn(table: string): number[] {
  return table
    .split('\n')
    .slice(1)
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
}
