import type { Stat } from './parse-stat.ts';

const SPACE = 0x20;
const NEWLINE = 0x0a;
const OPEN = 0x28;
const CLOSE = 0x29;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
// The typed array's own searches, called on any Uint8Array (a Node Buffer overrides indexOf with a
// slower path through its binding); they use no `this` but the array they are called on.
// eslint-disable-next-line @typescript-eslint/unbound-method
const search = Uint8Array.prototype.indexOf;
// eslint-disable-next-line @typescript-eslint/unbound-method
const searchBack = Uint8Array.prototype.lastIndexOf;

/**
 * `parseStat` on the bytes of `/proc/PID/stat`, for the scanner's hot loop: the same result as
 * `parseStat(decode(bytes))` without decoding the line or splitting it into ~50 strings. Numbers
 * are read digit by digit; only the name is turned into a string, by `decode` when it holds bytes
 * beyond ASCII (a process may name itself any bytes; the caller decides how they read, as the
 * text readers do: invalid UTF-8 as U+FFFD). The name sits between the first `(` and the last
 * `)`; `(` and `)` are ASCII, and no byte of a multi-byte UTF-8 sequence is, so byte positions
 * find them. Returns null where `parseStat` would: not a whole stat line.
 */
export function parseStatBytes(bytes: Uint8Array, length: number, decode: (name: Uint8Array) => string): Stat | null {
  const n = Math.min(length, bytes.length);
  if (n === 0) return null;
  const open = search.call(bytes, OPEN);
  const close = searchBack.call(bytes, CLOSE, n - 1);
  if (open < 1 || open >= n || close <= open) return null;
  const pid = parsePid(bytes, open);
  if (pid < 0) return null;
  const stat: Stat = {
    pid,
    comm: readName(bytes, open + 1, close, decode),
    state: '',
    ppid: NaN,
    flags: NaN,
    utime: NaN,
    stime: NaN,
    threads: NaN,
    startTime: NaN,
    rssPages: NaN,
    rssLimit: '',
  };
  // Fields are numbered as in `man 5 proc`: 3 (state) is the first after ") ". Each is found with
  // the typed array's own search (native code even before the JIT has warmed up, which a cold
  // start of thousands of processes spends most of its time waiting for), not byte by byte.
  let field = 3;
  let i = close + 2;
  while (i < n && field <= 25) {
    let end = search.call(bytes, SPACE, i);
    if (end < 0 || end > n) end = n;
    const last = end > i && bytes[end - 1] === NEWLINE ? end - 1 : end;
    switch (field) {
      case 3:
        stat.state = last - i === 1 ? String.fromCharCode(bytes[i] as number) : '';
        break;
      case 4:
        stat.ppid = parseInteger(bytes, i, last);
        break;
      case 9:
        stat.flags = parseInteger(bytes, i, last);
        break;
      case 14:
        stat.utime = parseInteger(bytes, i, last);
        break;
      case 15:
        stat.stime = parseInteger(bytes, i, last);
        break;
      case 20:
        stat.threads = parseInteger(bytes, i, last);
        break;
      case 22:
        stat.startTime = parseInteger(bytes, i, last);
        break;
      case 24:
        stat.rssPages = parseInteger(bytes, i, last);
        break;
      case 25:
        // rsslim may be 2^64−1: kept as text, as parseStat does.
        stat.rssLimit = ascii(bytes, i, last);
        break;
    }
    field++;
    i = end + 1;
  }
  if (field <= 24) return null;
  const numeric = [stat.ppid, stat.flags, stat.utime, stat.stime, stat.threads, stat.startTime, stat.rssPages];
  return numeric.every(Number.isFinite) && stat.state.length === 1 ? stat : null;
}

/** The pid before the name: digits, spaces around them allowed; -1 if anything else. */
function parsePid(bytes: Uint8Array, end: number): number {
  let from = 0;
  let to = end;
  while (from < to && bytes[from] === SPACE) from++;
  while (to > from && bytes[to - 1] === SPACE) to--;
  const pid = parseInteger(bytes, from, to);
  return Number.isSafeInteger(pid) && pid >= 0 ? pid : -1;
}

/** A decimal integer, optionally negative; NaN when empty or not all digits. */
function parseInteger(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  const negative = bytes[i] === MINUS;
  if (negative) i++;
  if (i >= to) return NaN;
  let value = 0;
  for (; i < to; i++) {
    const c = bytes[i] as number;
    if (c < ZERO || c > NINE) return NaN;
    value = value * 10 + (c - ZERO);
  }
  return negative ? -value : value;
}

/** ASCII names (nearly all) without a decoder call; anything else through `decode`. */
function readName(bytes: Uint8Array, from: number, to: number, decode: (name: Uint8Array) => string): string {
  for (let i = from; i < to; i++) if ((bytes[i] as number) >= 0x80) return decode(bytes.subarray(from, to));
  return ascii(bytes, from, to);
}

/** Bytes below 0x80 as a string; short runs only (a name, a number). */
function ascii(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}
