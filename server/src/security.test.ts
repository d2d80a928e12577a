import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { PROTOCOL_VERSION, processDetailSchema } from '@proclens/shared';
import { MAX_BAD_FRAMES } from './stream-clients.ts';
import { openSocket, rawRequest, until } from './test-http.ts';
import { startTestServer } from './test-server.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('a loopback server', () => {
  let server: Server;
  const sockets: WebSocket[] = [];
  beforeAll(async () => void (server = await startTestServer()));
  afterAll(async () => server.close());
  afterEach(() => sockets.splice(0).forEach((s) => s.terminate()));

  it('asks for a token on loopback too, and prints its URL with one', async () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{43}$`));
    expect((await rawRequest(server.base, '/api/snapshot')).status).toBe(401);
    expect((await rawRequest(server.base, '/api/snapshot', server.auth)).status).toBe(200);
  });

  it('answers its own loopback names and sets security headers', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const res = await rawRequest(server.base, '/api/containers', { Host: host, ...server.auth });
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it.each(['evil.example', 'localhost:1@evil', 'localhost:evil.com'])('refuses the Host %j before anything else, with a token or without', async (host) => {
    const res = await rawRequest(server.base, '/api/snapshot', { Host: host, ...server.auth });
    expect([400, 403]).toContain(res.status);
    expect(res.body).not.toMatch(/"processes"/);
  });

  it('refuses a WebSocket from a foreign Origin or Host even with the token, and accepts its own', async () => {
    expect(await openSocket(server.base, { origin: 'http://evil.example', headers: server.auth })).toEqual({ refused: 403 });
    expect(await openSocket(server.base, { origin: server.base.replace('http:', 'https:'), headers: server.auth })).toEqual({ refused: 403 });
    // DNS rebinding: the page's Origin matches its own Host, which is not ours.
    const rebound = { Host: `evil.example:${server.port}`, ...server.auth };
    expect(await openSocket(server.base, { origin: `http://evil.example:${server.port}`, headers: rebound })).toEqual({ refused: 403 });
    const own = await openSocket(server.base, { origin: server.base, headers: server.auth });
    if (!('socket' in own)) throw new Error(`refused ${own.refused}`);
    sockets.push(own.socket);
    await until(() => own.messages.length > 0);
    expect(own.messages[0]).toMatchObject({ type: 'snapshot', protocol: PROTOCOL_VERSION, seq: 0 });
  });

  it('has no endpoint that changes anything: writes get 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      for (const path of ['/api/snapshot', '/api/processes/1', '/api/containers', '/api/containers/db/stop']) {
        expect((await rawRequest(server.base, path, server.auth, method)).status).toBe(405);
      }
    }
  });

  it('answers malformed frames with an error, closes a client that keeps sending them with 1008, and keeps serving the others', async () => {
    const bystander = await openSocket(server.base, { headers: server.auth });
    const attacker = await openSocket(server.base, { headers: server.auth });
    if (!('socket' in bystander) || !('socket' in attacker)) throw new Error('sockets refused');
    sockets.push(bystander.socket, attacker.socket);
    const hostile = ['not json', '{"type":"nope"}', '{"type":"resync","extra":1}', '{"__proto__":{"polluted":1},"type":"resync"}', '[]', 'null'];
    for (const text of hostile.slice(0, MAX_BAD_FRAMES - 1)) attacker.socket.send(text);
    await until(() => attacker.messages.filter((m) => m.type === 'error').length === MAX_BAD_FRAMES - 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    attacker.socket.send(Buffer.from([0, 1, 2]), { binary: true });
    expect(await attacker.closed).toBe(1008);
    const before = bystander.messages.length;
    bystander.socket.send(JSON.stringify({ type: 'resync' }));
    await until(() => bystander.messages.slice(before).some((m) => m.type === 'snapshot'));
    expect((await rawRequest(server.base, '/api/containers', server.auth)).status).toBe(200);
  });

  it('closes a connection that sends an oversized frame with 1009, and only that one', async () => {
    const big = await openSocket(server.base, { headers: server.auth });
    if (!('socket' in big)) throw new Error('refused');
    big.socket.send(JSON.stringify({ type: 'resync', pad: 'x'.repeat(100_000) }));
    expect(await big.closed).toBe(1009);
    expect((await rawRequest(server.base, '/api/containers', server.auth)).status).toBe(200);
  });

  it('never answers 5xx, whatever the path (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.webPath(),
          fc.constantFrom('/', '//', '/%', '/api/processes/%', '/api/processes/%00', '/api/processes/..%2f..%2fetc%2fpasswd', '/api/processes/1e3', '/api/x%'),
        ),
        fc.boolean(),
        async (raw, authed) => {
          const path = raw.startsWith('/') ? encodeURI(raw).replace(/%25/g, '%') : `/api/processes/${encodeURIComponent(raw)}`;
          const res = await rawRequest(server.base, path, authed ? server.auth : {});
          expect(res.status, path).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the token', () => {
  let server: Server;
  beforeAll(async () => void (server = await startTestServer(['--host', '0.0.0.0'])));
  afterAll(async () => server.close());

  it('beyond loopback as on it: 401 without, 200 with a bearer header', async () => {
    expect(server.token).toMatch(/^[\w-]{43}$/);
    expect((await rawRequest(server.base, '/api/snapshot')).status).toBe(401);
    expect((await rawRequest(server.base, '/api/snapshot', { Authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await rawRequest(server.base, '/api/snapshot', server.auth)).status).toBe(200);
  });

  it('trades ?token= on the page for a cookie and a clean address', async () => {
    const res = await rawRequest(server.base, `/?token=${server.token}&pid=1`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/?pid=1');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0] ?? '';
    expect((await rawRequest(server.base, '/api/containers', { Cookie: pair })).status).toBe(200);
  });

  it.each(['wrong-token-0123456789', '', 'x'])('refuses the page trade for the token %j: 401, no cookie, no redirect', async (token) => {
    const res = await rawRequest(server.base, `/?token=${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();
  });

  it('never redirects a trade to another host', async () => {
    for (const path of ['/.//evil.com', '//evil.com', '/\\evil.com', '/%2F%2Fevil.com']) {
      const res = await rawRequest(server.base, `${path}?token=${server.token}`);
      expect(res.status, path).toBe(302);
      const location = String(res.headers.location);
      expect(new URL(location, 'http://proclens.test').host, `${path} → ${location}`).toBe('proclens.test');
    }
  });

  it('takes the token in the query string only on the page, never on the API or the stream', async () => {
    const api = await rawRequest(server.base, `/api/snapshot?token=${server.token}`);
    expect(api.status).toBe(401);
    expect(api.headers['set-cookie']).toBeUndefined();
    expect(await openSocket(server.base, { path: `/ws?token=${server.token}` })).toEqual({ refused: 401 });
  });

  it('refuses WebSocket upgrades without the token, with a wrong cookie, or the cookie of another port', async () => {
    expect(await openSocket(server.base)).toEqual({ refused: 401 });
    expect(await openSocket(server.base, { headers: { Cookie: `proclens_token_${server.port}=wrong` } })).toEqual({ refused: 401 });
    expect(await openSocket(server.base, { headers: { Cookie: `proclens_token_${server.port + 1}=${server.token}` } })).toEqual({ refused: 401 });
    const ok = await openSocket(server.base, { headers: { Cookie: `proclens_token_${server.port}=${server.token}` } });
    expect('socket' in ok).toBe(true);
    if ('socket' in ok) ok.socket.terminate();
  });

  it('survives malformed cookies on upgrades and requests (a lone % once ended the process)', async () => {
    for (const cookie of ['%', `proclens_token_${server.port}=%`, '=%=;;%%', '\u00ff=\u00ff']) {
      expect(await openSocket(server.base, { headers: { Cookie: cookie } })).toEqual({ refused: 401 });
      expect((await rawRequest(server.base, '/api/snapshot', { Cookie: cookie })).status).toBe(401);
    }
    expect((await rawRequest(server.base, '//')).status).toBeLessThan(500);
    expect((await rawRequest(server.base, '/api/snapshot', server.auth)).status).toBe(200);
  });

  it('serves the page shell without the token, and nothing else', async () => {
    const page = await rawRequest(server.base, '/');
    expect(page.status).toBeLessThan(500);
    expect(page.body).not.toMatch(/"processes"/);
    expect((await rawRequest(server.base, '/assets/index.js')).status).toBe(401);
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
    const res = await fetch(`${server.base}/api/processes/${child.pid}`, { headers: server.auth });
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
    const opened = await openSocket(server.base, { headers: server.auth });
    if (!('socket' in opened)) throw new Error('refused');
    await until(() => opened.messages.length > 0);
    opened.socket.terminate();
    expect(JSON.stringify(opened.messages)).not.toContain('hunter2-secret');
  });

  it('shows the values when started with --reveal-secrets', async () => {
    const revealing = await startTestServer(['--reveal-secrets']);
    try {
      const detail = processDetailSchema.parse(await (await fetch(`${revealing.base}/api/processes/${child.pid}`, { headers: revealing.auth })).json());
      expect(detail.environ.vars).toContainEqual({ name: 'DB_PASSWORD', value: 'hunter2-secret', masked: false });
    } finally {
      await revealing.close();
    }
  });
});
