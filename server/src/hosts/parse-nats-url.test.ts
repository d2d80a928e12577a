import { describe, expect, it } from 'vitest';
import { parseNatsUrl, redact } from './parse-nats-url.ts';

describe('parseNatsUrl', () => {
  it.each([
    ['nats://127.0.0.1:4222', { servers: ['127.0.0.1:4222'], user: null, pass: null, token: null, tls: false, display: 'nats://127.0.0.1:4222' }],
    [
      'nats://proclens:s3cr%40t@nats.example:4223',
      { servers: ['nats.example:4223'], user: 'proclens', pass: 's3cr@t', token: null, tls: false, display: 'nats://nats.example:4223' },
    ],
    ['tls://nats.example', { servers: ['nats.example:4222'], user: null, pass: null, token: null, tls: true, display: 'tls://nats.example:4222' }],
    ['nats://T0KEN@10.0.0.5', { servers: ['10.0.0.5:4222'], user: null, pass: null, token: 'T0KEN', tls: false, display: 'nats://10.0.0.5:4222' }],
    ['127.0.0.1:4300', { servers: ['127.0.0.1:4300'], user: null, pass: null, token: null, tls: false, display: 'nats://127.0.0.1:4300' }],
    ['nats://u:p@a:1, nats://b:2', { servers: ['a:1', 'b:2'], user: 'u', pass: 'p', token: null, tls: false, display: 'nats://a:1' }],
    ['nats://[::1]:4222', { servers: ['[::1]:4222'], user: null, pass: null, token: null, tls: false, display: 'nats://[::1]:4222' }],
  ])('reads %j', (text, target) => {
    expect(parseNatsUrl(text)).toEqual({ ok: true, target });
  });

  it.each([
    ['', /needs a URL/],
    ['http://u:hunter2@host:80', /scheme http:\/\/ is not supported/],
    ['ws://host', /scheme ws:\/\/ is not supported/],
    ['nats://u:hunter2@host:4222/path', /has a path or query/],
    ['nats://u:hunter2@host:99999', /is not a URL/],
  ])('refuses %j, without printing the password', (text, error) => {
    const parsed = parseNatsUrl(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(error);
      expect(parsed.error).not.toContain('hunter2');
    }
  });

  it('redact hides every user part of a URL', () => {
    expect(redact('nats://u:p@a:1,nats://tok@b:2')).toBe('nats://***@a:1,nats://***@b:2');
  });
});
