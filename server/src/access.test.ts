import { describe, expect, it } from 'vitest';
import { createAccess, generateToken } from './access.ts';
import type { AccessOptions } from './access.ts';

const TOKEN = 'presenter-token-0123456789';
const AUDIENCE = 'audience-token-0123456789';

function access(extra: Partial<AccessOptions> = {}) {
  return createAccess({ presenterToken: TOKEN, audienceToken: null, bindHost: '127.0.0.1', allowedHosts: [], port: () => 7700, ...extra });
}

describe('createAccess: the Host check', () => {
  it.each(['localhost:7700', '127.0.0.1:7700', '[::1]:7700', 'localhost', 'LOCALHOST:7700'])('lets in Host %j', (host) => {
    expect(access().checkHost({ host })).toBeNull();
  });

  it.each(['evil.example', 'evil.example:7700', 'localhost.evil.example:7700', '127.0.0.1.nip.io:7700', '10.0.0.5:7700'])(
    'refuses Host %j with 403, as a DNS-rebinding page sends it',
    (host) => {
      expect(access().checkHost({ host })).toMatchObject({ ok: false, status: 403 });
    },
  );

  it.each(['localhost:1@evil', 'localhost:evil.com', '', 'a b'])('refuses the malformed Host %j with 400', (host) => {
    expect(access().checkHost({ host })).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a request without Host', () => {
    expect(access().checkHost({})).toMatchObject({ ok: false, status: 400 });
  });

  it('answers to the bind address and configured names, and to any well-formed name when bound to every interface', () => {
    expect(access({ bindHost: '192.168.1.10' }).checkHost({ host: '192.168.1.10:7700' })).toBeNull();
    expect(access({ bindHost: 'fd00::5' }).checkHost({ host: '[fd00::5]:7700' })).toBeNull();
    expect(access({ allowedHosts: ['Dash.Example'] }).checkHost({ host: 'dash.example' })).toBeNull();
    expect(access({ bindHost: '0.0.0.0' }).checkHost({ host: 'evil.example' })).toBeNull();
    expect(access({ bindHost: '0.0.0.0' }).checkHost({ host: 'localhost:1@evil' })).toMatchObject({ status: 400 });
  });
});

describe('createAccess: the Origin check', () => {
  it.each([
    ['http://127.0.0.1:7700', '127.0.0.1:7700'],
    ['http://LOCALHOST:7700', 'localhost:7700'],
    ['http://[::1]:7700', '[::1]:7700'],
  ])('lets in Origin %s with Host %s', (origin, host) => {
    expect(access().checkOrigin({ origin, host })).toBe(true);
  });

  it.each([
    ['http://evil.example', '127.0.0.1:7700'],
    ['http://127.0.0.1:7701', '127.0.0.1:7700'],
    ['http://localhost:7700', '127.0.0.1:7700'],
    ['https://127.0.0.1:7700', '127.0.0.1:7700'],
    ['ftp://127.0.0.1:7700', '127.0.0.1:7700'],
    ['null', '127.0.0.1:7700'],
    ['http://127.0.0.1:7700', undefined],
  ])('refuses Origin %s with Host %s (the scheme counts too)', (origin, host) => {
    expect(access().checkOrigin(host === undefined ? { origin } : { origin, host })).toBe(false);
  });

  it('lets in a request without Origin, as tools like websocat send', () => {
    expect(access().checkOrigin({ host: '127.0.0.1:7700' })).toBe(true);
  });
});

describe('createAccess: tokens', () => {
  const host = '127.0.0.1:7700';

  it('admits the presenter by bearer header or by the cookie the page trade set', () => {
    const a = access();
    expect(a.admit({ host, authorization: `Bearer ${TOKEN}` }, { websocket: false })).toEqual({ ok: true, role: 'presenter' });
    expect(a.admit({ host, cookie: `other=1; ${a.buildCookie(TOKEN).split(';')[0]}` }, { websocket: true })).toEqual({ ok: true, role: 'presenter' });
  });

  it.each([
    ['no credentials', {}],
    ['a wrong bearer', { authorization: 'Bearer wrong-token-0123456789' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
    ['a wrong cookie', { cookie: 'proclens_token_7700=wrong' }],
    ['the cookie of another port', { cookie: `proclens_token_7701=${TOKEN}` }],
    ['an empty cookie', { cookie: 'proclens_token_7700=' }],
    ['a malformed cookie', { cookie: 'proclens_token_7700=%' }],
    ['a wrong bearer beside a right cookie', { authorization: 'Bearer wrong', cookie: `proclens_token_7700=${TOKEN}` }],
  ])('refuses %s with 401', (_what, headers) => {
    expect(access().admit({ host, ...headers }, { websocket: false })).toMatchObject({ ok: false, status: 401 });
    expect(access().admit({ host, ...headers }, { websocket: true })).toMatchObject({ ok: false, status: 401 });
  });

  it('checks Host before the token and Origin for WebSockets only', () => {
    expect(access().admit({ host: 'evil.example', authorization: `Bearer ${TOKEN}` }, { websocket: false })).toMatchObject({ status: 403 });
    const foreign = { host, origin: 'http://evil.example', authorization: `Bearer ${TOKEN}` };
    expect(access().admit(foreign, { websocket: true })).toMatchObject({ status: 403 });
    // A DNS-rebinding page: its Origin matches its own (foreign) Host; the Host check stops it.
    const rebound = { host: 'evil.example:7700', origin: 'http://evil.example:7700', cookie: `proclens_token_7700=${TOKEN}` };
    expect(access().admit(rebound, { websocket: true })).toMatchObject({ status: 403 });
  });

  it('tells the audience token from the presenter token', () => {
    const shared = access({ audienceToken: AUDIENCE });
    expect(shared.matchToken(TOKEN)).toBe('presenter');
    expect(shared.matchToken(AUDIENCE)).toBe('audience');
    expect(shared.matchToken('')).toBeNull();
    expect(shared.matchToken(`${TOKEN}x`)).toBeNull();
    expect(access().matchToken(AUDIENCE)).toBeNull();
  });

  it('sets an HttpOnly, SameSite=Strict cookie named for the port', () => {
    expect(access().buildCookie(TOKEN)).toBe(`proclens_token_7700=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`);
  });

  it('generates tokens of 43 URL-safe characters that differ each time', () => {
    const a = generateToken();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(generateToken()).not.toBe(a);
  });
});
