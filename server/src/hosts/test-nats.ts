import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real nats-server for tests: JetStream on, bound to 127.0.0.1 on a free port, its store in a
 * temporary folder. `stop` and `start` again keep the port and the store (a NATS restart).
 */
export interface TestNats {
  port: number;
  dir: string;
  /** `nats://user:pass@127.0.0.1:PORT` (or `tls://` with TLS), with the given credentials. */
  url(user?: string, pass?: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its store. */
  close(): Promise<void>;
}

export interface TestNatsOptions {
  user?: string;
  pass?: string;
  /** Extra lines for the configuration file (authorization, tls blocks). */
  config?: string;
  jetstream?: boolean;
  tls?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startTestNats(options: TestNatsOptions = {}): Promise<TestNats> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pl-hosts-nats-'));
  const port = await freePort();
  const lines = [`listen: "127.0.0.1:${port}"`, options.jetstream === false ? '' : `jetstream { store_dir: "${dir}/js" }`, options.config ?? ''];
  if (options.user !== undefined) lines.push(`authorization { user: "${options.user}", password: "${options.pass ?? ''}" }`);
  writeFileSync(path.join(dir, 'nats.conf'), lines.join('\n'));
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    const proc = spawn('nats-server', ['-c', path.join(dir, 'nats.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 15_000);
      proc.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}:\n${log}`));
      });
    });
    proc.stderr?.resume();
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    });
  };

  await start();
  return {
    port,
    dir,
    url: (user, pass) =>
      `${options.tls ? 'tls' : 'nats'}://${user !== undefined ? `${encodeURIComponent(user)}:${encodeURIComponent(pass ?? '')}@` : ''}127.0.0.1:${port}`,
    start,
    stop,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throw-away CA and a server certificate it signed for 127.0.0.1, made with openssl. */
export function makeTestCertificates(dir: string): { ca: string; cert: string; key: string; otherCa: string } {
  const file = (name: string): string => path.join(dir, name);
  const run = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  for (const ca of ['ca', 'other-ca']) {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=proclens test ${ca}`,
      '-keyout',
      file(`${ca}.key`),
      '-out',
      file(`${ca}.pem`),
    );
  }
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(file('san.ext'), 'subjectAltName = IP:127.0.0.1\n');
  run(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.pem'),
  );
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key'), otherCa: file('other-ca.pem') };
}
