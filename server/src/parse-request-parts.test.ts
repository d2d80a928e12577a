import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSafeRedirect, parseCookies, parseHostHeader, parseOrigin, parseRequestTarget } from './parse-request-parts.ts';

describe('parseHostHeader', () => {
  it.each([
    ['localhost:7700', { name: 'localhost', port: 7700 }],
    ['127.0.0.1', { name: '127.0.0.1', port: null }],
    ['[::1]:7700', { name: '[::1]', port: 7700 }],
    [' LOCALHOST:7700 ', { name: 'localhost', port: 7700 }],
    ['dash.example.', { name: 'dash.example', port: null }],
    ['box-1.lan:80', { name: 'box-1.lan', port: 80 }],
  ])('parseHostHeader reads %j', (value, expected) => {
    expect(parseHostHeader(value)).toEqual(expected);
  });

  it.each([
    'localhost:1@evil',
    'localhost:evil.com',
    'localhost:',
    ':7700',
    'a b',
    'evil.com/x',
    'user@localhost',
    'localhost:99999',
    '[::1',
    '-a.example',
    '',
    'a..b',
  ])('parseHostHeader refuses %j', (value) => {
    expect(parseHostHeader(value)).toBeNull();
  });

  it('parseHostHeader never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseHostHeader(s)));
  });
});

describe('parseOrigin', () => {
  it('parseOrigin reads scheme, name and port', () => {
    expect(parseOrigin('http://127.0.0.1:7700')).toEqual({ scheme: 'http', host: { name: '127.0.0.1', port: 7700 } });
    expect(parseOrigin('HTTPS://Dash.Example')).toEqual({ scheme: 'https', host: { name: 'dash.example', port: null } });
  });

  it.each(['null', 'http://a@b', 'http://127.0.0.1:7700/path', 'file://', 'not a url', 'http://localhost:1@evil'])('parseOrigin refuses %j', (value) => {
    expect(parseOrigin(value)).toBeNull();
  });
});

describe('parseCookies', () => {
  it('parseCookies keeps a malformed percent-encoding as sent instead of throwing', () => {
    expect(parseCookies('a=%; b=%E0%A4%A; c=ok%20x').get('a')).toBe('%');
    expect(parseCookies('a=%; b=%E0%A4%A; c=ok%20x').get('b')).toBe('%E0%A4%A');
    expect(parseCookies('a=%; b=%E0%A4%A; c=ok%20x').get('c')).toBe('ok x');
  });

  it('parseCookies takes the first of repeated names, strips quotes, skips nameless parts', () => {
    const cookies = parseCookies('x=1; x=2; ="v"; =; y="quoted"; novalue');
    expect(cookies.get('x')).toBe('1');
    expect(cookies.get('y')).toBe('quoted');
    expect([...cookies.keys()]).toEqual(['x', 'y']);
  });

  it('parseCookies never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseCookies(s)));
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('parseRequestTarget and buildSafeRedirect', () => {
  it('parseRequestTarget keeps `//` and `/.//evil.com` as paths, never hosts', () => {
    expect(parseRequestTarget('//').path).toBe('//');
    expect(parseRequestTarget('/.//evil.com?token=x').path).toBe('/.//evil.com');
    expect(parseRequestTarget('/.//evil.com?token=x').query.get('token')).toBe('x');
    expect(parseRequestTarget('http://evil.com/api/snapshot?a=1').path).toBe('/api/snapshot');
    expect(parseRequestTarget('*').path).toBe('/*');
    expect(parseRequestTarget('/a?b=%zz#frag').query.get('b')).toBe('%zz');
  });

  it.each([
    ['/.//evil.com', '/evil.com'],
    ['//evil.com', '/evil.com'],
    ['/\\evil.com', '/'],
    ['/../../etc', '/etc'],
    ['/', '/'],
    ['/ps/3', '/ps/3'],
  ])('buildSafeRedirect sends %j to %j on this server', (path, expected) => {
    expect(buildSafeRedirect(path, new URLSearchParams())).toBe(expected);
  });

  it('buildSafeRedirect keeps the other query parameters', () => {
    expect(buildSafeRedirect('/', new URLSearchParams('pid=1&container=db'))).toBe('/?pid=1&container=db');
  });

  it('buildSafeRedirect never answers anything a browser reads as another host', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const location = buildSafeRedirect(parseRequestTarget(s).path, new URLSearchParams());
        expect(location.startsWith('/')).toBe(true);
        expect(location.startsWith('//')).toBe(false);
        expect(location).not.toContain('\\');
        expect(new URL(location, 'http://proclens.test').host).toBe('proclens.test');
      }),
    );
  });
});
