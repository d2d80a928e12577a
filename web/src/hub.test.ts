import { describe, expect, it } from 'vitest';
import { hostApiBase } from './api-base.ts';
import { buildHostHref, formatAgo, parseHubRoute } from './hub-route.ts';

describe('parseHubRoute', () => {
  it.each([
    ['/', { kind: 'home' }],
    ['/hosts/host-b', { kind: 'host', name: 'host-b' }],
    ['/hosts/host-b/', { kind: 'host', name: 'host-b' }],
    ['/hosts/a.b', { kind: 'home' }],
    ['/hosts/%2e%2e', { kind: 'home' }],
    ['/hosts/%E0%A4%A', { kind: 'home' }],
    ['/hosts/b/extra', { kind: 'home' }],
    ['/hosts/', { kind: 'home' }],
  ])('reads %j as %j', (pathname, route) => {
    expect(parseHubRoute(pathname)).toEqual(route);
  });
});

describe('hub addresses', () => {
  it('buildHostHref keeps the dashboard’s own pid and container parameters', () => {
    expect(buildHostHref('b')).toBe('/hosts/b');
    expect(buildHostHref('b', { pid: 42 })).toBe('/hosts/b?pid=42');
    expect(buildHostHref('b', { container: 'web' })).toBe('/hosts/b?container=web');
    expect(parseHubRoute(buildHostHref('host_9', { pid: 1 }).split('?')[0] ?? '')).toEqual({ kind: 'host', name: 'host_9' });
  });

  it('hostApiBase points the dashboard at one host of the hub', () => {
    expect(hostApiBase('b')).toEqual({ api: '/api/hosts/b', ws: '/ws?host=b' });
  });
});

describe('formatAgo', () => {
  it.each([
    [null, 'never'],
    [0, 'just now'],
    [1999, 'just now'],
    [12_400, '12 s ago'],
    [59_999, '59 s ago'],
    [60_000, '1 min ago'],
    [3 * 3600_000, '3 h ago'],
    [5 * 86_400_000, '5 d ago'],
  ])('%j ms is %j', (ms, text) => {
    expect(formatAgo(ms)).toBe(text);
  });
});
