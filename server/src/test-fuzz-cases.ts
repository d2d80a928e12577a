import fc from 'fast-check';
import { buildClientFrame } from './test-raw-socket.ts';

/** One generated attack: the bytes to write, and what the checker needs to know about them. */
export interface FuzzCase {
  /** Readable description for failure messages (the bytes, escaped). */
  text: string;
  bytes: Buffer[];
  /** HEAD requests get no body. */
  head: boolean;
  /** Cut short: the server waits for the rest, so the client half-closes at once. */
  cut: boolean;
  /** The bytes hold the right token somewhere: only such a request may be admitted. */
  carriesToken: boolean;
  /**
   * More bytes follow a request that closes the connection (`Connection: close`, any version but 1.1), which
   * RFC 9112 §9.6 forbids: the server closes after its answer, and the kernel's reset for the
   * unread bytes may reach the client before that answer does.
   */
  sendsAfterClose: boolean;
}

/** What the generator needs of the server under attack. */
export interface Target {
  port: number;
  token: string;
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
/** Stands for `Origin: http://<the Host sent>`. */
const SAME_ORIGIN = 'Origin: (same)';
const PATH_SEGMENTS = [
  'api',
  'processes',
  'containers',
  'snapshot',
  'ws',
  'assets',
  'index.html',
  '..',
  '.',
  '',
  '%',
  '%2',
  '%zz',
  '%00',
  '%2F',
  '%2e%2e',
  '%ff',
  '%E0%A4%A',
  '%25',
  '\\',
  '@',
  'evil.com',
  '1',
  '4194304',
  '4194305',
  '99999999',
  '-1',
  '1e3',
  '0x10',
  ':pid',
  '__proto__',
  'constructor',
  'a'.repeat(300),
];

function targets(t: Target): fc.Arbitrary<string> {
  const query = fc.constantFrom(
    '',
    '',
    `?token=${t.token}`,
    '?token=',
    '?token=%',
    '?token=wrong-token-0123456789',
    `?pid=1&token=${t.token}`,
    '?%=%',
    '?token[]=x',
    `?token=${t.token}&token=x`,
  );
  const fromSegments = fc.tuple(fc.array(fc.constantFrom(...PATH_SEGMENTS), { maxLength: 5 }), query).map(([s, q]) => `/${s.join('/')}${q}`);
  // The whole snapshot once in a while: on a busy host it is megabytes.
  const api = fc.oneof(
    { weight: 1, arbitrary: fc.constant('/api/snapshot') },
    {
      weight: 10,
      arbitrary: fc.constantFrom('/api/containers', '/api/processes/1', `/api/processes/${process.pid}`, '/api/processes/4194303', '/api/containers/none'),
    },
  );
  return fc.oneof(
    { weight: 3, arbitrary: api },
    { weight: 5, arbitrary: fromSegments },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '/',
        '//',
        '/.//evil.com',
        '//evil.com',
        '/\\evil.com',
        '/api/snapshot',
        '/api/containers',
        '/api/processes/1',
        `/api/processes/${process.pid}`,
        '/api/processes/4194303',
        '/api/containers/%',
        '/ws',
        `/ws?token=${t.token}`,
        `/?token=${t.token}`,
        `/.//evil.com?token=${t.token}`,
        `//evil.com/?token=${t.token}`,
        `http://127.0.0.1:${t.port}/api/snapshot`,
        `http://evil.com/api/containers`,
        `http://evil.com/ws`,
        'http://evil.com/assets',
        '/assets',
        '*',
        `127.0.0.1:${t.port}`,
        `/${'x'.repeat(20_000)}`,
        '/api/processes/1#frag',
        '/api/%',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

function headerLines(t: Target): fc.Arbitrary<string[]> {
  const own = [`127.0.0.1:${t.port}`, `localhost:${t.port}`, `[::1]:${t.port}`];
  const host = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...own).map((h) => [`Host: ${h}`]) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          'evil.com',
          'localhost:1@evil',
          'localhost:evil.com',
          'localhost:99999',
          '[::1',
          '',
          ' ',
          `localhost:${t.port}, evil.com`,
          'LOCALHOST.',
          '\u00ff',
        )
        .map((h) => [`Host: ${h}`]),
    },
    { weight: 1, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.constantFrom(...own).map((h) => [`Host: ${h}`, 'Host: evil.com']) },
  );
  const cookie = `proclens_token_${t.port}`;
  const right = fc.constantFrom([`Authorization: Bearer ${t.token}`], [`Cookie: ${cookie}=${t.token}`], [`Cookie: a=%; ${cookie}=${t.token}`]);
  const wrong = fc.constantFrom(
    [],
    ['Authorization: Bearer wrong-token-0123456789'],
    ['Authorization: Bearer'],
    [`Authorization: Basic ${t.token}`],
    [`Authorization: bearer   ${t.token}   `],
    [`Authorization: Bearer ${t.token}`, 'Authorization: Bearer x'],
    ['Cookie: %'],
    [`Cookie: ${cookie}=%`],
    [`Cookie: ${cookie}="${t.token}"`],
    [`Cookie: ${cookie}=${t.token}%`],
    [`Cookie: a=1; ${cookie}=%zz; ${cookie}=${t.token}`],
    ['Cookie: =;=;;%%;\u00ff=\u00ff'],
    [`Cookie: ${'c=1; '.repeat(2000)}`],
    [`Cookie: proclens_token_${t.port + 1}=${t.token}`],
  );
  const credentials = fc.oneof({ weight: 3, arbitrary: right }, { weight: 2, arbitrary: wrong });
  const origin = fc.constantFrom(
    [],
    [],
    [],
    [],
    [SAME_ORIGIN],
    [SAME_ORIGIN],
    [SAME_ORIGIN],
    [`Origin: http://127.0.0.1:${t.port}`],
    [`Origin: https://127.0.0.1:${t.port}`],
    ['Origin: null'],
    ['Origin: http://evil.com'],
    [`Origin: http://127.0.0.1:${t.port}/path`],
    [`Origin: http://user@127.0.0.1:${t.port}`],
    ['Origin: %'],
  );
  const upgrade = fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 6, arbitrary: fc.constant(['Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13']) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('websocket', 'WebSocket', 'h2c', 'websocket, foo', ''),
          fc.constantFrom('Upgrade', 'keep-alive, Upgrade', 'close', ''),
          fc.constantFrom(KEY, '', 'short', '!!!!!!!!!!!!!!!!!!!!!!==', KEY + KEY),
          fc.constantFrom('13', '8', '99', '', '13, 13', 'abc'),
          fc.constantFrom(
            [],
            ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99'],
            ['Sec-WebSocket-Extensions: ;;;'],
            ['Sec-WebSocket-Protocol: , ,'],
          ),
        )
        .map(([up, conn, key, version, extra]) => [
          `Upgrade: ${up}`,
          `Connection: ${conn}`,
          `Sec-WebSocket-Key: ${key}`,
          `Sec-WebSocket-Version: ${version}`,
          ...extra,
        ]),
    },
  );
  const odd = fc.array(
    fc.oneof(
      fc.constantFrom(
        'Content-Length: 0',
        'Content-Length: 5',
        'Content-Length: -1',
        'Content-Length: 1e3',
        'Content-Length: 99999999999999999999',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked',
        'Transfer-Encoding: chunked, identity',
        'Expect: 100-continue',
        'X-Forwarded-For: 1.2.3.4',
        ' folded: header',
        'NoColon',
        ': empty-name',
        'X-Ctl: a\u0001b',
        'X-Nul: a\u0000b',
      ),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 30 })).map(([n, v]) => `${n}: ${v}`),
      fc.constantFrom(100, 8000, 17_000, 70_000).map((n) => `X-Big: ${'a'.repeat(n)}`),
      fc.integer({ min: 10, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => `X-${i}: y`).join('\r\n')),
    ),
    { maxLength: 2 },
  );
  const rarely = fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: odd });
  return fc.tuple(host, credentials, origin, upgrade, rarely).map((groups) => {
    // A browser's Origin names the host it loaded the page from, as sent in Host.
    const sent = groups[0][0]?.slice('Host: '.length) ?? '127.0.0.1';
    return groups.flat().map((line) => (line === SAME_ORIGIN ? `Origin: http://${sent}` : line));
  });
}

/** A frame a client might send after the upgrade, from the right one to every way of breaking one. */
function frames(): fc.Arbitrary<Buffer[]> {
  const text = (s: string) => buildClientFrame(1, Buffer.from(s));
  const close = (code: number) => {
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    return buildClientFrame(8, body);
  };
  const one = fc.oneof(
    fc.constantFrom(
      text('{"type":"resync"}'),
      text('not json'),
      text('{"type":"resync","extra":1}'),
      text('{"__proto__":{"polluted":1},"type":"resync"}'),
      text(''),
      text('x'.repeat(20_000)),
      buildClientFrame(1, Buffer.from([0xc3, 0x28])),
      buildClientFrame(2, Buffer.from([0, 1, 2])),
      buildClientFrame(9, Buffer.from('ping')),
      buildClientFrame(10, Buffer.from('pong')),
      buildClientFrame(9, Buffer.alloc(126)),
      buildClientFrame(9, Buffer.from('p'), { fin: false }),
      close(1000),
      close(1005),
      close(999),
      close(4000),
      close(65535),
      buildClientFrame(8, Buffer.from([3])),
      buildClientFrame(1, Buffer.from('{"type":"resync"}'), { mask: false }),
      buildClientFrame(1, Buffer.from('{}'), { rsv: 4 }),
      buildClientFrame(3, Buffer.from('x')),
      buildClientFrame(0x0b, Buffer.from('x')),
      Buffer.concat([buildClientFrame(1, Buffer.from('{"type":'), { fin: false }), buildClientFrame(0, Buffer.from('"resync"}'))]),
      buildClientFrame(0, Buffer.from('orphan continuation')),
      buildClientFrame(1, Buffer.alloc(0), { declaredLength: 2 ** 53 }),
      buildClientFrame(1, Buffer.from('{"type":"resync"}')).subarray(0, 5),
    ),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  );
  return fc.array(one, { maxLength: 8 });
}

/** Picks the well-formed `usual` most of the time, one of `odd` otherwise. */
function mostly<T>(usual: T, odd: readonly T[], oddWeight = 1): fc.Arbitrary<T> {
  return fc.oneof({ weight: 8, arbitrary: fc.constant(usual) }, { weight: oddWeight, arbitrary: fc.constantFrom(...odd) });
}

/**
 * Requests and upgrades with and without the token, `?token=` in every place: mostly
 * well-formed with one or two odd parts, so that the generator reaches the access check, the
 * API and the stream, not only Node's request-line parser.
 */
export function fuzzCases(t: Target): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      method: mostly('GET', ['HEAD', 'POST', 'OPTIONS', 'PUT', 'CONNECT', 'TRACE', 'get', 'GE T', '']),
      target: targets(t),
      version: mostly('HTTP/1.1', ['HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1', '', 'FOO/1.1']),
      headers: headerLines(t),
      eol: mostly('\r\n', ['\n', '\r', '\r\r\n']),
      body: mostly('', ['hello', '0\r\n\r\n', 'zz\r\n', 'GET / HTTP/1.1\r\n\r\n']),
      frames: frames(),
      toStream: fc.boolean(),
      // Truncated requests: one in ten.
      cut: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }),
    })
    .map((r) => {
      // Frames follow upgrade requests; after a plain request they are pipelined garbage.
      const upgrading = r.headers.includes('Upgrade: websocket');
      const target = upgrading && r.toStream ? '/ws' : r.target;
      const head = `${r.method} ${target} ${r.version}`.trimEnd();
      let request = Buffer.from(`${[head, ...r.headers].join(r.eol)}${r.eol}${r.eol}${r.body}`, 'latin1');
      if (r.cut !== null) request = request.subarray(0, Math.floor(request.length * r.cut));
      const bytes = upgrading || r.frames.length % 4 === 1 ? [request, ...r.frames] : [request];
      const all = Buffer.concat(bytes).toString('latin1');
      return {
        text: JSON.stringify(all.length > 600 ? `${all.slice(0, 600)}…(${all.length} bytes)` : all),
        bytes,
        head: r.method === 'HEAD',
        cut: r.cut !== null,
        carriesToken: all.includes(t.token),
        // Any version but 1.1 (none is 0.9 to llhttp) means one request per connection.
        sendsAfterClose: (r.headers.includes('Connection: close') || r.version !== 'HTTP/1.1') && (bytes.length > 1 || r.body !== ''),
      };
    });
}
