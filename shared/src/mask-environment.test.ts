import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/read-fixture.js';
import { envVarViewSchema } from './detail.ts';
import { findSecrets, isSecretName, isSecretVar, maskEnvironment, maskValue } from './mask-environment.ts';
import { parseEnviron } from './parse-environ.ts';
import { MASK } from './secret-span.ts';
import { ED25519_KEY, JWT_HS256, JWT_RS256, SECRET_SAMPLES } from './secret-samples.ts';

describe('maskEnvironment by name', () => {
  it('has one sample of each class, under names unique enough to share one environment', () => {
    const names = SECRET_SAMPLES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of SECRET_SAMPLES) for (const secret of s.secrets) expect(s.value).toContain(secret);
  });

  it.each(SECRET_SAMPLES.filter((s) => s.shown === null).map((s) => [s.name, s.value] as const))('hides the whole value of %s (a sample)', (name, value) => {
    expect(maskEnvironment([{ name, value }], false)).toEqual([{ name, value: null, masked: true }]);
  });

  it.each([
    ['PASSWORD', 'hunter2'],
    ['DB_PASSWD', 'hunter2'],
    ['POSTGRES_PASSWORD', 'hunter2'],
    ['MYSQL_PWD', 'Sup3r-s3cret'],
    ['PGPASS', 'db:5432:app:app:s3cret'],
    ['PGPASSFILE', '/run/secrets/pgpass'],
    ['REGISTRY_CREDS', 'ci:ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['GPG_PASSPHRASE', 'correct horse battery staple'],
    ['API_TOKEN', 'ghp_abc'],
    ['GITHUB_TOKEN', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['PRIVATE_KEY', ED25519_KEY],
    ['SESSION_COOKIE', 'abc'],
    ['password', 'lower case too'],
  ])('hides the whole value of %s', (name, value) => {
    expect(isSecretName(name)).toBe(true);
    expect(maskEnvironment([{ name, value }], false)).toEqual([{ name, value: null, masked: true }]);
  });

  it('isSecretName leaves the shell’s working directories visible though they contain PWD', () => {
    expect(maskEnvironment([{ name: 'PWD', value: '/root' }], false)).toEqual([{ name: 'PWD', value: '/root', masked: false }]);
    expect(isSecretName('OLDPWD')).toBe(false);
    expect(isSecretName('MYSQL_PWD')).toBe(true);
  });
});

describe('maskEnvironment by value, under innocent names', () => {
  it.each(SECRET_SAMPLES.filter((s) => s.shown !== null).map((s) => [s.what, s] as const))('hides a %s: only its secret part', (_what, sample) => {
    const { name, value, shown } = sample;
    expect(isSecretName(name)).toBe(false);
    expect(isSecretVar(name, value)).toBe(true);
    const [view] = maskEnvironment([{ name, value }], false);
    expect(view).toEqual({ name, value: shown, masked: true });
    expect(envVarViewSchema.safeParse(view).success).toBe(true);
    for (const secret of sample.secrets) expect(view?.value).not.toContain(secret);
  });

  it('hides the whole value when a second look at the masked value still finds more than masks', () => {
    // A pair inside a JSON member, one class inside another: which part is the secret is unclear.
    const value = '{"pwd":"password=,"} password=x';
    expect(maskEnvironment([{ name: 'CONFIG', value }], false)).toEqual([{ name: 'CONFIG', value: null, masked: true }]);
  });

  it('reads past a closing quote that does not end the value', () => {
    expect(maskValue("password='a'b c' dbname=app")).toBe(`password=${MASK} dbname=app`);
    expect(maskValue("https://h/?password=''x&ssl=1")).toBe(`https://h/?password=${MASK}&ssl=1`);
  });

  it('errs on hiding more when an @ after the password belongs to a path', () => {
    expect(maskValue('https://u:pw@registry.example.com/@scope/pkg')).toBe(`https://u:${MASK}@scope/pkg`);
  });
});

describe('maskEnvironment leaves ordinary values alone', () => {
  it.each([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOME', '/root'],
    ['HOSTNAME', 'e05a4d92b7c3'],
    ['REDIS_VERSION', '7.0.15'],
    ['REDIS_DOWNLOAD_SHA', '98066f5363504b26c34dd20fbcc3c957990d764cdf42576c836fc021073f4341'],
    ['GIT_COMMIT', '3f786850e387550fdab836ed7e6dc881de23001b'],
    ['URL', 'http://host/x'],
    ['UPSTREAM', 'http://host:8080/x'],
    ['REPO', 'https://git@github.com/acme/shop.git'],
    ['NPM_CONFIG_REGISTRY', 'https://registry.npmjs.org/@types/node'],
    ['BROKERS', 'kafka1:9092,kafka2:9092'],
    ['PAYLOAD', 'eyJmb28iOiJiYXIifQ=='],
    ['NOT_A_JWT', 'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.44AfY9MhhooRzX2-NtXxggWLihE'],
    ['DOMAIN', 'www.example.com'],
    ['CA_BUNDLE', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n'],
    ['SSH_PUBLIC', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM5jb2p0c3VwZXJzZWNyZXQ user@laptop'],
    ['JAVA_OPTS', '-Xmx512m -Dfile.encoding=UTF-8 -Duser.timezone=UTC'],
    ['PGHOST', 'db'],
    ['LANG', 'C.UTF-8'],
    ['LS_COLORS', 'rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:so=01;35:*.tar=01;31:*.tgz=01;31:*.jpg=01;35:*.mp3=00;36'],
  ])('shows %s as it is', (name, value) => {
    expect(isSecretVar(name, value)).toBe(false);
    expect(maskEnvironment([{ name, value }], false)).toEqual([{ name, value, masked: false }]);
  });

  it('shows the plain environment of the sleep capture', () => {
    const { vars } = parseEnviron(readFixture('proc/sleep/environ'));
    expect(maskEnvironment(vars, false).every((v) => !v.masked)).toBe(true);
  });
});

describe('maskEnvironment as a whole', () => {
  it('shows every value when asked to reveal secrets', () => {
    const vars = [
      { name: 'PASSWORD', value: 'hunter2' },
      { name: 'DATABASE_URL', value: 'postgres://u:p@h/db' },
      { name: 'CLAIMS', value: JWT_RS256 },
      { name: 'PATH', value: '/usr/bin' },
    ];
    expect(maskEnvironment(vars, true)).toEqual(vars.map((v) => ({ ...v, masked: false })));
  });

  it('keeps names and order, hiding only values', () => {
    const vars = [
      { name: 'HOME', value: '/root' },
      { name: 'API_TOKEN', value: 't' },
      { name: 'DSN', value: 'redis://:pw@cache' },
      { name: 'LANG', value: 'C' },
    ];
    expect(maskEnvironment(vars, false)).toEqual([
      { name: 'HOME', value: '/root', masked: false },
      { name: 'API_TOKEN', value: null, masked: true },
      { name: 'DSN', value: `redis://:${MASK}@cache`, masked: true },
      { name: 'LANG', value: 'C', masked: false },
    ]);
  });

  it('the schema refuses a masked value without the mask and an unmasked null', () => {
    expect(envVarViewSchema.safeParse({ name: 'A', value: 'postgres://u:p@h', masked: true }).success).toBe(false);
    expect(envVarViewSchema.safeParse({ name: 'A', value: null, masked: false }).success).toBe(false);
    expect(envVarViewSchema.safeParse({ name: 'A', value: null, masked: true, extra: 1 }).success).toBe(false);
  });
});

describe('maskValue never shows any of a secret', () => {
  /** Passwords as people type them: any printable ASCII, `/`, `@`, `:`, `,` and `;` included. */
  const password = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'), minLength: 1, maxLength: 24 });

  it('in URL userinfo, whatever the password holds', () => {
    fc.assert(
      fc.property(
        password.filter((p) => !p.includes('://')),
        (p) => maskValue(`postgres://app:${p}@db:5432/app`) === `postgres://app:${MASK}@db:5432/app`,
      ),
    );
  });

  it('in every URL of a broker list', () => {
    const noSeparator = password.filter((p) => !/[\s,;|"'(<[=]|:\/\//.test(p));
    fc.assert(
      fc.property(
        noSeparator,
        noSeparator,
        (a, b) => maskValue(`amqp://u:${a}@r1:5672,amqp://u:${b}@r2:5672`) === `amqp://u:${MASK}@r1:5672,amqp://u:${MASK}@r2:5672`,
      ),
    );
  });

  it('in a percent-encoded query string, a braced ODBC value and a quoted libpq value', () => {
    fc.assert(
      fc.property(password, (p) => {
        // An encoded value that starts with a quote reads as quoted, so the rest of the value is hidden too;
        // where the second look is unsure (an empty quoted value), the whole value is masked (null).
        expect([`jdbc:mysql://db/app?user=app&password=${MASK}&ssl=true`, `jdbc:mysql://db/app?user=app&password=${MASK}`, null]).toContain(
          maskValue(`jdbc:mysql://db/app?user=app&password=${encodeURIComponent(p)}&ssl=true`),
        );
        expect(maskValue(`Server=db;Uid=sa;Pwd={${p.replace(/\}/g, '}}')}};Encrypt=yes`)).toBe(`Server=db;Uid=sa;Pwd=${MASK};Encrypt=yes`);
        expect(maskValue(`host=db password='${p.replace(/[\\']/g, '\\$&')}' dbname=app`)).toBe(`host=db password=${MASK} dbname=app`);
      }),
    );
  });

  it('in unquoted key=value lists of any punctuation, up to the next `key=` item', () => {
    // The documented limit: a separator followed by `key=` starts the next item.
    const plain = password.filter((p) => p.length >= 3 && !/^['"{]/.test(p) && !/[\s;&,][A-Za-z0-9_.-]+[ \t]*=/.test(p));
    const lists = [
      (p: string) => `user=app password=${p}`,
      (p: string) => `user=app password=${p} dbname=app`,
      (p: string) => `Uid=sa;Pwd=${p};Server=db`,
      (p: string) => `https://h/?a=1&client_secret=${p}&b=2`,
      (p: string) => `{"password":"${JSON.stringify(p).slice(1, -1)}","port":1}`,
    ];
    fc.assert(
      fc.property(plain, fc.constantFrom(...lists), (p, list) => {
        const shown = maskValue(list(p));
        return shown === null || !shown.includes(p);
      }),
    );
  });

  it('masking a shown value again changes nothing', () => {
    const value = fc.constantFrom(`postgres://app:x@db/app`, `Pwd=x;Uid=y`, JWT_HS256, ED25519_KEY, 'a=b');
    fc.assert(
      fc.property(value, fc.string(), (v, tail) => {
        const shown = maskValue(v + tail);
        return shown === null || maskValue(shown) === shown;
      }),
    );
  });

  it.each([
    ['a base64url run', 'e'.repeat(1 << 20)],
    ['dotted segments', 'eyJh.'.repeat(1 << 18)],
    ['URLs without @', 'a://b:'.repeat(1 << 18)],
    ['keys without =', 'a.b-c_'.repeat(1 << 18)],
    ['separators', ' ;&,'.repeat(1 << 18) + 'password=x'],
    ['armour', '-----BEGIN ' + 'A'.repeat(1 << 20)],
  ])('finds secrets in a 1 MiB value of %s in linear time (no backtracking)', (_what, value) => {
    // A quadratic scan of a value this size would take minutes; linear ones take milliseconds.
    expect(() => findSecrets(value)).not.toThrow();
  });
});
