import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/read-fixture.js';
import { isSecretVar, maskEnvironment } from './mask-environment.ts';
import { parseEnviron } from './parse-environ.ts';

describe('maskEnvironment', () => {
  it.each([
    ['PASSWORD', 'hunter2'],
    ['DB_PASSWD', 'hunter2'],
    ['POSTGRES_PASSWORD', 'hunter2'],
    ['API_TOKEN', 'ghp_abc'],
    ['GITHUB_TOKEN', 'ghp_abc'],
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI'],
    ['PRIVATE_KEY', '-----BEGIN PRIVATE KEY-----'],
    ['SESSION_COOKIE', 'abc'],
    ['DATABASE_URL', 'postgres://u:p@h/db'],
    ['REDIS_URL', 'redis://:secret@cache:6379/0'],
    ['password', 'lower case too'],
  ])('maskEnvironment hides the value of %s', (name, value) => {
    expect(isSecretVar(name, value)).toBe(true);
    expect(maskEnvironment([{ name, value }], false)).toEqual([{ name, value: null, masked: true }]);
  });

  it.each([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOME', '/root'],
    ['REDIS_VERSION', '7.2.4'],
    ['URL', 'http://host/x'],
    ['UPSTREAM', 'http://host:8080/x'],
    ['HOSTNAME', 'e05a4d92b7c3'],
    ['LANG', 'C.UTF-8'],
  ])('maskEnvironment shows the value of %s', (name, value) => {
    expect(isSecretVar(name, value)).toBe(false);
    expect(maskEnvironment([{ name, value }], false)).toEqual([{ name, value, masked: false }]);
  });

  it('maskEnvironment shows every value when asked to reveal secrets', () => {
    const vars = [
      { name: 'PASSWORD', value: 'hunter2' },
      { name: 'DATABASE_URL', value: 'postgres://u:p@h/db' },
      { name: 'PATH', value: '/usr/bin' },
    ];
    expect(maskEnvironment(vars, true)).toEqual(vars.map((v) => ({ ...v, masked: false })));
  });

  it('maskEnvironment keeps names and order, hiding only values', () => {
    const vars = [
      { name: 'HOME', value: '/root' },
      { name: 'API_TOKEN', value: 't' },
      { name: 'LANG', value: 'C' },
    ];
    expect(maskEnvironment(vars, false)).toEqual([
      { name: 'HOME', value: '/root', masked: false },
      { name: 'API_TOKEN', value: null, masked: true },
      { name: 'LANG', value: 'C', masked: false },
    ]);
  });

  it('maskEnvironment shows the plain environment of the sleep capture', () => {
    const { vars } = parseEnviron(readFixture('proc/sleep/environ'));
    expect(maskEnvironment(vars, false).every((v) => !v.masked)).toBe(true);
  });
});
