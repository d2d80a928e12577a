import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/read-fixture.js';
import { envVarViewSchema } from './detail.ts';
import { findSecrets, isSecretName, isSecretVar, maskEnvironment, maskValue } from './mask-environment.ts';
import { parseEnviron } from './parse-environ.ts';
import { MASK } from './secret-span.ts';

// Real-looking secrets: a throw-away ed25519 key made with `openssl genpkey -algorithm ed25519`,
// tokens signed with nothing that exists.
const ED25519_KEY = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDOC48QVBy34Iii/hj/zOUeEDrDKBYQi6QdqUv8zR7NN\n-----END PRIVATE KEY-----\n';
const JWT_RS256 =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjBmMWUyZDNjIn0.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwic3ViIjoic3ZjLW9yZGVycyIsImF1ZCI6Im9yZGVycy1hcGkiLCJleHAiOjE3NjcyMjU2MDB9.bd379ZFDDDtOENIs9F7TBPETPCsjgWLw7J79jLBwdIeVzpv0H-YJKfr22Ml_rXoqlPk2obZy5CUXbFmYIL5JnA';
const JWT_HS256 =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const JWE =
  'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.o1bRiQaOK50tAKwE7g4lIEqJrJxBzi6gmt9E1O-sscTxpiQWL2Z6xg.9QbBp5zow5y4k6fR.mdyo8TOtIPbYxhfeSicYJuSNorxfgMeiERmzSCU0._Krz6fn2xH5DPnzFXJhiUQ';
const JWT_NONE = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';

describe('maskEnvironment by name', () => {
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
  it.each([
    ['PEM private key', 'TLS_MATERIAL', ED25519_KEY, `-----BEGIN PRIVATE KEY-----${MASK}-----END PRIVATE KEY-----\n`],
    [
      'PEM key with its newlines written as \\n',
      'SSH_IDENTITY',
      '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\\n-----END OPENSSH PRIVATE KEY-----',
      `-----BEGIN OPENSSH PRIVATE KEY-----${MASK}-----END OPENSSH PRIVATE KEY-----`,
    ],
    ['PEM key cut short (no END line)', 'SIGNER', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYr', `-----BEGIN EC PRIVATE KEY-----${MASK}`],
    ['JWT (RS256)', 'UPSTREAM_HEADER', JWT_RS256, MASK],
    ['JWT after Bearer', 'HEADER', `Bearer ${JWT_HS256}`, `Bearer ${MASK}`],
    ['JWE (five segments)', 'ENCRYPTED', JWE, MASK],
    ['unsigned JWT (alg none)', 'CLAIMS', JWT_NONE, MASK],
    ['JWT in a query string', 'CALLBACK', `https://hooks.example.com/cb?jwt=${JWT_HS256}&x=1`, `https://hooks.example.com/cb?jwt=${MASK}&x=1`],
    ['URL password', 'DATABASE_URL', 'postgres://app:s3cr3t-Pa55@db:5432/app', `postgres://app:${MASK}@db:5432/app`],
    ['URL password with / @ :', 'DATABASE_URL', 'postgres://app:p@ss/w:rd@db:5432/app?sslmode=disable', `postgres://app:${MASK}@db:5432/app?sslmode=disable`],
    ['redis URL with password only', 'REDIS_URL', 'redis://:Zk8#q1@cache:6379/0', `redis://:${MASK}@cache:6379/0`],
    [
      'mongodb+srv URL',
      'MONGO',
      'mongodb+srv://orders:T0p%2Fs3cret@cluster0.ab1cd.mongodb.net/orders?retryWrites=true',
      `mongodb+srv://orders:${MASK}@cluster0.ab1cd.mongodb.net/orders?retryWrites=true`,
    ],
    [
      'comma-separated broker list',
      'BROKERS',
      'amqp://guest:guest1@rabbit1:5672,amqp://guest:guest2@rabbit2:5672',
      `amqp://guest:${MASK}@rabbit1:5672,amqp://guest:${MASK}@rabbit2:5672`,
    ],
    ['space-separated list', 'NATS_SERVERS', 'nats://a:pw1@n1:4222 nats://b:pw2@n2:4222', `nats://a:${MASK}@n1:4222 nats://b:${MASK}@n2:4222`],
    [
      'JDBC URL with ?password=',
      'SPRING_DATASOURCE_URL',
      'jdbc:mysql://db:3306/app?user=app&password=Sup3r$ecret&useSSL=true',
      `jdbc:mysql://db:3306/app?user=app&password=${MASK}&useSSL=true`,
    ],
    [
      'JDBC SQL Server ;password=',
      'JDBC',
      'jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=Yuk0n;900;encrypt=true',
      `jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=${MASK};encrypt=true`,
    ],
    [
      'ODBC Pwd=…;',
      'ODBC_DSN',
      'Driver={ODBC Driver 18 for SQL Server};Server=tcp:db,1433;Uid=sa;Pwd=Yuk0n900;Encrypt=yes',
      `Driver={ODBC Driver 18 for SQL Server};Server=tcp:db,1433;Uid=sa;Pwd=${MASK};Encrypt=yes`,
    ],
    ['ODBC braced Pwd with ; and }}', 'ODBC_DSN', 'Server=db;Uid=sa;Pwd={se;cr}}et};Encrypt=yes', `Server=db;Uid=sa;Pwd=${MASK};Encrypt=yes`],
    ['libpq key=value list', 'PG_CONNINFO', 'host=db port=5432 user=app password=s3cret dbname=app', `host=db port=5432 user=app password=${MASK} dbname=app`],
    ['libpq quoted password with spaces', 'PG_CONNINFO', "host=db password='a b\\'c' dbname=app", `host=db password=${MASK} dbname=app`],
    ['passwd= in a list', 'FTP', 'host=ftp.example.com user=u passwd=pa55 passive=1', `host=ftp.example.com user=u passwd=${MASK} passive=${MASK}`],
    [
      'Azure storage connection string',
      'STORAGE',
      'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net',
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${MASK};EndpointSuffix=core.windows.net`,
    ],
    [
      'Java system property',
      'JAVA_TOOL_OPTIONS',
      '-Dspring.datasource.password=hunter2 -Dspring.profiles.active=prod',
      `-Dspring.datasource.password=${MASK} -Dspring.profiles.active=prod`,
    ],
    [
      'JSON member',
      'SPRING_APPLICATION_JSON',
      '{"spring.datasource.password":"hunter2","server.port":8080}',
      `{"spring.datasource.password":"${MASK}","server.port":8080}`,
    ],
    ['Go MySQL DSN', 'DSN', 'app:s3cr@t@tcp(db:3306)/app?parseTime=true', `app:${MASK}@tcp(db:3306)/app?parseTime=true`],
  ])('hides a %s: only its secret part', (_what, name, value, shown) => {
    expect(isSecretName(name)).toBe(false);
    expect(isSecretVar(name, value)).toBe(true);
    const [view] = maskEnvironment([{ name, value }], false);
    expect(view).toEqual({ name, value: shown, masked: true });
    expect(envVarViewSchema.safeParse(view).success).toBe(true);
  });

  it('hides the whole value when hiding parts would leave another secret showing', () => {
    // Not valid libpq: the quote closes after `a`, and what follows is part of the password.
    const value = "password='a'b c' dbname=app";
    expect(maskEnvironment([{ name: 'CONNINFO', value }], false)).toEqual([{ name: 'CONNINFO', value: null, masked: true }]);
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
