import { MASK } from './secret-span.ts';
import type { SecretSpan } from './secret-span.ts';

/**
 * Keys whose value is a secret, in DSNs, query strings and `key=value` lists: `password`,
 * `PGPASSWORD`, `Pwd` (ODBC), `passwd`, `client_secret`, `access_token`, any `…key` (`api_key`,
 * Azure's `AccountKey`, `key` alone for Google API keys), `sig` and `signature` (Azure SAS, AWS
 * presigned URLs). Over-matching (`passive`, `sslkey`) costs a hidden harmless value.
 */
const SECRET_KEY = /pass|pwd|secret|token|credential|signature|^sig$|key$/i;
/**
 * `key=` or `key = `. The key is a whole run of key characters (`-Dspring.datasource.password`):
 * the lookbehind lets a match start only where a run starts, which keeps the scan linear.
 */
const PAIR = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)[ \t]*=[ \t]*/g;
/** JSON: `"key": "value"` (`SPRING_APPLICATION_JSON`, credentials files pasted into a variable). */
const JSON_PAIR = /"([^"\\]*)"\s*:\s*"((?:[^"\\]|\\.)*)/dg;
/** Where the next item of a list starts: a separator, then `key=`. */
const NEXT_ITEM = /(?<![\s;&,])[\s;&,]+(?=[A-Za-z0-9_.-]+[ \t]*=)/g;

/** End of a quoted value (`'…'`, `"…"` with backslash escapes; `{…}` with `}}`, ODBC), or the end. */
function quotedEnd(value: string, start: number): number {
  const open = value[start];
  const close = open === '{' ? '}' : open;
  for (let i = start + 1; i < value.length; i++) {
    if (open !== '{' && value[i] === '\\') i++;
    else if (value[i] === close) {
      if (open === '{' && value[i + 1] === '}') i++;
      else return i + 1;
    }
  }
  return value.length;
}

/**
 * Where an unquoted value ends: before the separator that starts the next `key=` item, or at the
 * end. A separator not followed by a key stays inside, so `password=a;b host=h` hides `a;b` —
 * what a parser would take is not known here, and hiding more is the safe side.
 */
function plainEnd(value: string, start: number): number {
  // At least one character: `password=;x=1` is the password `;x=1` or an empty one; hide it.
  NEXT_ITEM.lastIndex = start + 1;
  const next = NEXT_ITEM.exec(value);
  return next ? next.index : value.length;
}

/** The end of a quoted value (or a mask) at `end`, or more when no separator follows it (`''x`). */
function afterToken(value: string, end: number): number {
  return end < value.length && !/[\s;&,]/.test(value[end] ?? '') ? plainEnd(value, end) : end;
}

/**
 * Values of secret keys in `key=value` lists of any punctuation — libpq (`password=x host=h`),
 * ODBC (`Pwd={x};`), JDBC and URL query strings (`?password=x&ssl=true`), `-Dx.password=x` —
 * and JSON string members. The whole value is the secret, quotes and braces included. `masked`:
 * this is a second look at a value already masked, where a `MASK` stands for the quoted value it
 * replaced. Pure.
 */
export function findSecretPairs(value: string, masked = false): SecretSpan[] {
  const spans: SecretSpan[] = [];
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(value); m; m = PAIR.exec(value)) {
    if (!SECRET_KEY.test(m[1] ?? '')) continue;
    const start = m.index + m[0].length;
    const end =
      masked && value.startsWith(MASK, start)
        ? afterToken(value, start + MASK.length)
        : /['"{]/.test(value[start] ?? '')
          ? afterToken(value, quotedEnd(value, start))
          : plainEnd(value, start);
    if (end > start) spans.push({ start, end, kind: 'password-pair' });
    PAIR.lastIndex = Math.max(end, start);
  }
  JSON_PAIR.lastIndex = 0;
  for (let m = JSON_PAIR.exec(value); m; m = JSON_PAIR.exec(value)) {
    const [start, end] = m.indices?.[2] ?? [0, 0];
    if (SECRET_KEY.test(m[1] ?? '') && end > start) spans.push({ start, end, kind: 'password-pair' });
  }
  return spans;
}
