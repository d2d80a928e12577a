import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseServerMessage, processDetailSchema } from '@proclens/shared';
import type { ServerMessage } from '@proclens/shared';
import { startTestServer } from './test-server.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A raw HTTP request, so tests can send any Host header (fetch will not). */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with the socket once open, or the HTTP status it was refused with. */
function openSocket(
  base: string,
  options: { origin?: string; headers?: Record<string, string>; path?: string } = {},
): Promise<{ socket: WebSocket; messages: ServerMessage[] } | { refused: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}${options.path ?? '/ws'}`, { origin: options.origin, headers: options.headers });
    const messages: ServerMessage[] = [];
    socket.on('message', (data) => {
      const parsed = parseServerMessage((data as Buffer).toString('utf8'));
      if (parsed.ok) messages.push(parsed.value);
    });
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ refused: -1 }));
  });
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a loopback server', () => {
  let server: Server;
  const sockets: WebSocket[] = [];
  beforeAll(async () => void (server = await startTestServer()));
  afterAll(async () => server.close());
  afterEach(() => sockets.splice(0).forEach((s) => s.terminate()));

  it('answers its own loopback names and sets security headers', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const res = await get(server.base, '/api/containers', { Host: host });
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses a foreign Host header with 403 (DNS rebinding)', async () => {
    const res = await get(server.base, '/api/snapshot', { Host: `evil.example:${server.port}` });
    expect(res.status).toBe(403);
    expect(res.body).not.toMatch(/"processes"/);
  });

  it('refuses a WebSocket from a foreign Origin and accepts its own', async () => {
    expect(await openSocket(server.base, { origin: 'http://evil.example' })).toEqual({ refused: 403 });
    const own = await openSocket(server.base, { origin: server.base });
    expect('socket' in own).toBe(true);
    if ('socket' in own) {
      sockets.push(own.socket);
      await until(() => own.messages.length > 0);
      expect(own.messages[0]).toMatchObject({ type: 'snapshot', protocol: 1, seq: 0 });
    }
  });

  it('has no endpoint that changes anything: writes get 404', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      for (const path of ['/api/snapshot', '/api/processes/1', '/api/containers', '/api/containers/db/stop']) {
        expect((await get(server.base, path, {}, method)).status).toBe(404);
      }
    }
  });

  it('answers hostile messages with an error and keeps serving every client', async () => {
    const bystander = await openSocket(server.base);
    const attacker = await openSocket(server.base);
    if (!('socket' in bystander) || !('socket' in attacker)) throw new Error('sockets refused');
    sockets.push(bystander.socket, attacker.socket);
    const hostile = [
      'not json',
      '{"type":"nope"}',
      '{"type":"resync","extra":1}',
      '{"__proto__":{"polluted":1},"type":"resync"}',
      '[]',
      'null',
      '{"type":{"toString":1}}',
    ];
    for (const text of hostile) attacker.socket.send(text);
    attacker.socket.send(Buffer.from([0, 1, 2]), { binary: true });
    await until(() => attacker.messages.filter((m) => m.type === 'error').length === hostile.length + 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // An oversized frame closes that connection (1009), and only that one.
    const closed = new Promise<number>((resolve) => attacker.socket.once('close', (code) => resolve(code)));
    attacker.socket.send(JSON.stringify({ type: 'resync', pad: 'x'.repeat(100_000) }));
    expect(await closed).toBe(1009);
    const before = bystander.messages.length;
    bystander.socket.send(JSON.stringify({ type: 'resync' }));
    await until(() => bystander.messages.slice(before).some((m) => m.type === 'snapshot'));
    expect((await get(server.base, '/api/containers')).status).toBe(200);
  });

  it('never answers 5xx, whatever the path (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.webPath(),
          fc.constantFrom('/api/processes/', '/api/processes/%00', '/api/processes/..%2f..%2fetc%2fpasswd', '/api/processes/1e3', '/api/processes/-1'),
        ),
        async (raw) => {
          const path = `/${encodeURI(raw).replace(/^\/+/, '')}`;
          const res = await get(server.base, path.startsWith('/api') ? path : `/api/processes/${path.slice(1)}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('secrets in environments', () => {
  let server: Server;
  let child: ChildProcess;
  beforeAll(async () => {
    server = await startTestServer();
    child = spawn('sleep', ['60'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DB_PASSWORD: 'hunter2-secret', DATABASE_URL: 'postgres://app:s3cr3t-pw@db/app', GREETING: 'hello' },
      stdio: 'ignore',
    });
  });
  afterAll(async () => {
    child.kill('SIGKILL');
    await server.close();
  });

  it('masks secret-looking values in the process detail', async () => {
    const res = await fetch(`${server.base}/api/processes/${child.pid}`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('s3cr3t-pw');
    const detail = processDetailSchema.parse(JSON.parse(text));
    expect(detail.environ.vars).toEqual(
      expect.arrayContaining([
        { name: 'DB_PASSWORD', value: null, masked: true },
        { name: 'DATABASE_URL', value: 'postgres://app:••••••@db/app', masked: true },
        { name: 'GREETING', value: 'hello', masked: false },
      ]),
    );
  });

  it('never sends environments on the stream', async () => {
    const opened = await openSocket(server.base);
    if (!('socket' in opened)) throw new Error('refused');
    await until(() => opened.messages.length > 0);
    opened.socket.terminate();
    expect(JSON.stringify(opened.messages)).not.toContain('hunter2-secret');
  });

  it('shows the values when started with --reveal-secrets', async () => {
    const revealing = await startTestServer(['--reveal-secrets']);
    try {
      const detail = processDetailSchema.parse(await (await fetch(`${revealing.base}/api/processes/${child.pid}`)).json());
      expect(detail.environ.vars).toContainEqual({ name: 'DB_PASSWORD', value: 'hunter2-secret', masked: false });
    } finally {
      await revealing.close();
    }
  });
});

describe('a server bound beyond loopback', () => {
  let server: Server;
  beforeAll(async () => void (server = await startTestServer(['--host', '0.0.0.0'])));
  afterAll(async () => server.close());

  it('generates a token and prints it in its URL', () => {
    expect(server.token).toMatch(/^[\w-]{32}$/);
    expect(server.url).toContain(`?token=${server.token}`);
  });

  it('answers 401 without the token, and serves it with a bearer header', async () => {
    expect((await get(server.base, '/api/snapshot')).status).toBe(401);
    expect((await get(server.base, '/api/snapshot', { Authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await get(server.base, '/api/snapshot', { Authorization: `Bearer ${server.token}` })).status).toBe(200);
  });

  it('trades ?token= for a cookie and a clean address', async () => {
    const res = await get(server.base, `/?token=${server.token}&pid=1`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/?pid=1');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0] ?? '';
    expect((await get(server.base, '/api/containers', { Cookie: pair })).status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token', async () => {
    expect(await openSocket(server.base)).toEqual({ refused: 401 });
    const ok = await openSocket(server.base, { headers: { Authorization: `Bearer ${server.token}` } });
    expect('socket' in ok).toBe(true);
    if ('socket' in ok) ok.socket.terminate();
  });
});
