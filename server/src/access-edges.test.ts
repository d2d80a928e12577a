import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer } from './test-child-server.ts';
import type { ChildServer } from './test-child-server.ts';
import { exchangeRaw, parseHttpResponses } from './test-raw-socket.ts';

const TOKEN = 'edges-token-0123456789abcdef';
const WRONG = 'edges-wrong-0123456789abcdef';
const UPGRADE = ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];

/**
 * The smaller holes of issue 10, each against the real command: the token trade's redirect, the
 * Origin's scheme, Host headers that lenient parsers read as a name and a port, and `?token=`
 * outside the page URL (where it would end up in logs and histories).
 */
describe('the edges of admission, on the proclens command', () => {
  let server: ChildServer;
  beforeAll(async () => void (server = await startChildServer(['--token', TOKEN, '--verbose'])), 30_000);
  afterAll(async () => server.close());

  const send = async (lines: string[]): Promise<{ status: number; headers: Map<string, string>; body: string }> => {
    const exchange = await exchangeRaw(server.port, [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')], { halfClose: 'after-answer' });
    const first = parseHttpResponses(exchange.data).responses[0];
    if (!first) throw new Error('no answer');
    return { status: first.status, headers: first.headers, body: first.body.toString('utf8') };
  };
  const own = (): string => `Host: 127.0.0.1:${server.port}`;

  it.each([
    '/.//evil.com',
    '//evil.com',
    '///evil.com',
    '/\\evil.com',
    '/%2F%2Fevil.com',
    '/%5Cevil.com',
    '/..//evil.com',
    '/././/evil.com',
    '/@evil.com',
    '/%09/evil.com',
    '/a/../../evil.com/',
  ])('trades the token on %s and redirects on this server only', async (path) => {
    const res = await send([`GET ${path}?token=${TOKEN}&pid=1 HTTP/1.1`, own()]);
    expect(res.status).toBe(302);
    const location = res.headers.get('location') ?? '';
    expect(new URL(location, 'http://proclens.test').host, location).toBe('proclens.test');
    expect(location, 'the token leaves the address bar').not.toContain(TOKEN);
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^proclens_token_${server.port}=`));
  });

  it('never redirects an admitted request to another host, even one written in absolute form', async () => {
    for (const target of [`http://evil.com/assets`, `http://evil.com/assets/`, '/assets', `http://evil.com/?token=${TOKEN}`]) {
      const res = await send([`GET ${target} HTTP/1.1`, own(), `Authorization: Bearer ${TOKEN}`]);
      const location = res.headers.get('location');
      if (location !== undefined) expect(new URL(location, 'http://proclens.test').host, `${target} → ${location}`).toBe('proclens.test');
      expect(res.status, target).toBeLessThan(500);
    }
  });

  it.each([
    ['a wrong token', WRONG],
    ['an empty token', ''],
    ['a malformed escape', '%'],
  ])('refuses the trade of %s: 401, no cookie, no redirect', async (_what, token) => {
    const res = await send([`GET /.//evil.com?token=${token} HTTP/1.1`, own()]);
    expect(res.status).toBe(401);
    expect(res.headers.has('set-cookie')).toBe(false);
    expect(res.headers.has('location')).toBe(false);
  });

  it.each(['localhost:1@evil', 'localhost:evil.com', 'localhost:1@127.0.0.1', '127.0.0.1:80:80'])(
    'refuses Host %s with 400 on requests and WebSocket upgrades alike, the token notwithstanding',
    async (host) => {
      const bearer = `Authorization: Bearer ${TOKEN}`;
      expect((await send(['GET /api/snapshot HTTP/1.1', `Host: ${host}`, bearer])).status).toBe(400);
      expect((await send(['GET /ws HTTP/1.1', `Host: ${host}`, bearer, `Origin: http://${host}`, ...UPGRADE])).status).toBe(400);
    },
  );

  it.each(['https', 'ws', 'wss', 'file', 'HTTPS'])('refuses a WebSocket whose Origin is the right host under the scheme %s', async (scheme) => {
    const res = await send(['GET /ws HTTP/1.1', own(), `Authorization: Bearer ${TOKEN}`, `Origin: ${scheme}://127.0.0.1:${server.port}`, ...UPGRADE]);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: 'WebSocket from another origin' });
  });

  it('accepts the same WebSocket with Origin http:// (the test above is not refusing everything)', async () => {
    const res = await send(['GET /ws HTTP/1.1', own(), `Authorization: Bearer ${TOKEN}`, `Origin: http://127.0.0.1:${server.port}`, ...UPGRADE]);
    expect(res.status).toBe(101);
  });

  it.each(['/api/snapshot', '/api/processes/1', '/api', '/ws'])('refuses ?token= on %s with 401 and sets no cookie', async (path) => {
    const res = await send([`GET ${path}?token=${TOKEN} HTTP/1.1`, own(), ...(path === '/ws' ? UPGRADE : [])]);
    expect(res.status).toBe(401);
    expect(res.headers.has('set-cookie')).toBe(false);
  });

  it('never writes a token, right or wrong, to its --verbose log, from any place a credential goes', async () => {
    const places = (token: string): string[][] => [
      [`GET /?token=${token} HTTP/1.1`, own()],
      [`GET /api/snapshot?token=${token} HTTP/1.1`, own()],
      [`GET /api/processes/1?token=${token} HTTP/1.1`, own(), `Authorization: Bearer ${TOKEN}`],
      [`GET /ws?token=${token} HTTP/1.1`, own(), ...UPGRADE],
      ['GET /api/snapshot HTTP/1.1', own(), `Authorization: Bearer ${token}`],
      ['GET /ws HTTP/1.1', own(), `Cookie: proclens_token_${server.port}=${token}`, ...UPGRADE],
      [`GE T /?token=${token} HTTP/1.1`, own()],
      [`GET /?token=${token} HTTP/1.1`, `Host: localhost:1@${token}`],
    ];
    for (const token of [TOKEN, WRONG]) for (const lines of places(token)) await send(lines);
    const log = server.stderr();
    // The log did record these requests: the test is not reading an empty log.
    expect(log.match(/"message":"request"/g)?.length ?? 0).toBeGreaterThanOrEqual(8);
    expect(log).toMatch(/"message":"websocket refused"/);
    expect(log).toMatch(/"message":"malformed request"/);
    expect(log, 'request paths are logged whole, /api included').toMatch(/"path":"\/api\/processes\/1"/);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(WRONG);
  });
});
