import { describe, expect, it } from 'vitest';
import { buildAllowedHosts, isAllowedHost, isAllowedOrigin } from './check-request.ts';

const loopback = buildAllowedHosts('127.0.0.1');

describe('isAllowedHost', () => {
  it.each(['localhost:7700', '127.0.0.1:7700', '[::1]:7700', 'localhost', '127.0.0.1', '[::1]', 'LOCALHOST:7700', ' localhost:7700 '])(
    'isAllowedHost lets in Host: %s',
    (host) => {
      expect(isAllowedHost({ host }, loopback, false)).toBe(true);
    },
  );

  it.each(['evil.example', 'evil.example:7700', 'localhost.evil.example:7700', '127.0.0.1.nip.io:7700', '[::2]:7700', '10.0.0.5:7700', ''])(
    'isAllowedHost refuses Host: %j, as a DNS-rebinding page sends it',
    (host) => {
      expect(isAllowedHost({ host }, loopback, false)).toBe(false);
    },
  );

  it('isAllowedHost refuses a request without a Host header', () => {
    expect(isAllowedHost({}, loopback, false)).toBe(false);
  });

  it('isAllowedHost accepts any Host when the server is reachable from anywhere', () => {
    expect(isAllowedHost({ host: 'evil.example' }, loopback, true)).toBe(true);
  });

  it('isAllowedHost accepts the names the user configured, in any case', () => {
    const allowed = buildAllowedHosts('127.0.0.1', ['Dash.Example']);
    expect(isAllowedHost({ host: 'dash.example:7700' }, allowed, false)).toBe(true);
    expect(isAllowedHost({ host: 'other.example:7700' }, allowed, false)).toBe(false);
  });

  it('buildAllowedHosts adds the bind address, with brackets for IPv6', () => {
    expect(buildAllowedHosts('::1').names.has('[::1]')).toBe(true);
    expect(buildAllowedHosts('192.168.1.10').names.has('192.168.1.10')).toBe(true);
    expect(buildAllowedHosts('fd00::5').names.has('[fd00::5]')).toBe(true);
    expect(buildAllowedHosts('0.0.0.0').names.has('0.0.0.0')).toBe(false);
  });
});

describe('isAllowedOrigin', () => {
  it.each([
    ['http://127.0.0.1:7700', '127.0.0.1:7700'],
    ['http://localhost:7700', 'localhost:7700'],
    ['http://[::1]:7700', '[::1]:7700'],
    ['http://LOCALHOST:7700', 'localhost:7700'],
  ])('isAllowedOrigin lets in Origin %s with Host %s', (origin, host) => {
    expect(isAllowedOrigin({ origin, host })).toBe(true);
  });

  it.each([
    ['http://evil.example', '127.0.0.1:7700'],
    ['http://evil.example:7700', '127.0.0.1:7700'],
    ['http://127.0.0.1:7701', '127.0.0.1:7700'],
    ['http://localhost:7700', '127.0.0.1:7700'],
    ['null', '127.0.0.1:7700'],
    ['not a url', '127.0.0.1:7700'],
    ['http://127.0.0.1:7700', undefined],
  ])('isAllowedOrigin refuses Origin %s with Host %s', (origin, host) => {
    expect(isAllowedOrigin(host === undefined ? { origin } : { origin, host })).toBe(false);
  });

  it('isAllowedOrigin lets in a request without Origin, as tools like websocat send', () => {
    expect(isAllowedOrigin({ host: '127.0.0.1:7700' })).toBe(true);
    expect(isAllowedOrigin({})).toBe(true);
  });
});
