import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/proclens.js');
const ENV = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

/** Runs the real command; resolves with its exit code, output, and when it exited (its own exit event). */
function run(
  args: string[],
  onStdout?: (text: string, kill: () => void) => void,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; exitedAt: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started, exitedAt: Date.now() }));
  });
}

describe('the proclens command', () => {
  it('exits cleanly within 2 s of SIGTERM', async () => {
    let termAt = 0;
    const result = await run(['--port', '0'], (text, kill) => {
      if (termAt === 0 && /http:\/\//.test(text)) {
        termAt = Date.now();
        kill();
      }
    });
    expect(result.code).toBe(0);
    expect(termAt).toBeGreaterThan(0);
    // Measured at the child's exit, not when this test got round to looking.
    expect(result.exitedAt - termAt).toBeLessThan(2000);
    // Logs are JSON lines with a level.
    for (const line of result.stderr.trim().split('\n').filter(Boolean)) expect(JSON.parse(line)).toHaveProperty('level');
  });

  it('says clearly that a port is in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await run(['--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad flag with exit code 2 and a pointer to --help', async () => {
    const result = await run(['--colour', 'blue']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option --colour[\s\S]*--help/);
  });

  it('says clearly when /proc cannot be read', async () => {
    const result = await run(['--port', '0', '--proc-root', '/nonexistent/proc']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read /nonexistent/proc');
  });

  it('prints its usage and version', async () => {
    expect((await run(['--help'])).stdout).toMatch(/--docker-host URL/);
    expect((await run(['--version'])).stdout).toMatch(/^proclens \d+\.\d+\.\d+/);
  });
});
