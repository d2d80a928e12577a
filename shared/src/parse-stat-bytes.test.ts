import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, listFixtures, readFixture, readFixtureBytes } from '../fixtures/read-fixture.js';
import { parseStat } from './parse-stat.ts';
import { parseStatBytes } from './parse-stat-bytes.ts';

const encode = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** Every real capture with a stat file (shared/fixtures/proc). */
const captures = listFixtures('proc').filter((name) => listFixtures(`proc/${name}`).includes('stat'));

describe('parseStatBytes', () => {
  it('has real captures to compare against', () => {
    expect(captures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(captures)('parseStatBytes gives exactly what parseStat gives for the %s capture', (name) => {
    const bytes = readFixtureBytes(`proc/${name}/stat`);
    const expected = parseStat(readFixture(`proc/${name}/stat`));
    expect(expected).not.toBeNull();
    expect(parseStatBytes(bytes, bytes.length, decodeUtf8)).toEqual(expected);
  });

  it('parseStatBytes reads only the first `length` bytes of a larger, reused buffer', () => {
    const line = readFixtureBytes('proc/comm-parens/stat');
    const buffer = new Uint8Array(4096).fill(0x29);
    buffer.set(line);
    expect(parseStatBytes(buffer, line.length, decodeUtf8)).toEqual(parseStat(readFixture('proc/comm-parens/stat')));
  });

  it('parseStatBytes decodes a name of invalid UTF-8 through the decoder it is given, and ASCII names without it', () => {
    const bytes = readFixtureBytes('proc/comm-invalid-utf8/stat');
    expect(parseStatBytes(bytes, bytes.length, decodeUtf8)?.comm).toBe('bad\uFFFD\uFFFD-utf8');
    const ascii = readFixtureBytes('proc/sleep/stat');
    expect(parseStatBytes(ascii, ascii.length, () => 'decoder called')?.comm).toBe('sleep');
  });

  it.each([
    ['an empty read', ''],
    ['a line cut before the fields', '123 (sleep) S 1'],
    ['a line cut after field 23', '1 (x) S 0 1 1 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 5 100'],
    ['a line without a name', '123 sleep S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0'],
    ['a pid that is not a number', 'abc (sleep) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0'],
    ['a state of two letters', '1 (x) SS 0 1 1 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 5 100 250 18446744073709551615'],
    ['a ppid that is not a number', '1 (x) S z 1 1 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 5 100 250 18446744073709551615'],
  ])('parseStatBytes returns null for %s, as parseStat does', (_label, text) => {
    expect(parseStat(text)).toBeNull();
    expect(parseStatBytes(encode(text), text.length, decodeUtf8)).toBeNull();
  });

  it('parseStatBytes agrees with parseStat for any printable name and any field values (property)', () => {
    // Counters below 2^53 (the kernel's never reach it), and rsslim up to 2^64 − 1 (kept as text).
    const field = fc.oneof(fc.nat(), fc.constant(-1), fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }).map(String));
    const rssLimit = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
    const line = fc.tuple(
      fc.nat(4_194_304),
      fc.string({ maxLength: 15 }),
      fc.constantFrom('R', 'S', 'D', 'Z', 'I', 'T'),
      fc.array(field, { minLength: 49, maxLength: 49 }),
      rssLimit,
    );
    fc.assert(
      fc.property(line, ([pid, comm, state, rest, limit]) => {
        rest[21] = limit;
        const text = `${pid} (${comm.replace(/[^\x20-\x7e]/g, '')}) ${state} ${rest.join(' ')}\n`;
        expect(parseStatBytes(encode(text), text.length, decodeUtf8)).toEqual(parseStat(text));
      }),
    );
  });
});
