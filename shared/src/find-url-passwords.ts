import type { SecretSpan } from './secret-span.ts';

/** Characters of a URL scheme (RFC 3986 §3.1), plus `:` so `jdbc:postgresql` reads as one. */
const SCHEME_CHAR = /[A-Za-z0-9+.:-]/;
/** What may stand before a URL that begins a new item of a list: `a://…,b://…`, `x=a://…`. */
const ITEM_START = /[\s,;|"'(<[=]/;
/** Go's MySQL driver DSN, `user:password@tcp(host:3306)/db`: userinfo without a scheme. */
const GO_DSN = /^[^:@\s/]*:(.*)@(?:tcp|tcp6|udp|unix)?\(/s;

/** Where the scheme ending at `sep` (the index of its `://`) starts, or -1 if there is none. */
function schemeStart(value: string, sep: number): number {
  let i = sep;
  while (i > 0 && SCHEME_CHAR.test(value[i - 1] ?? '')) i--;
  while (i < sep && !/[A-Za-z]/.test(value[i] ?? '')) i++;
  return i < sep ? i : -1;
}

/** Starts of URLs that begin an item (at the start, or after a separator), with their `://`. */
function urlItems(value: string): Array<{ start: number; authority: number }> {
  const items: Array<{ start: number; authority: number }> = [];
  for (let sep = value.indexOf('://'); sep >= 0; sep = value.indexOf('://', sep + 3)) {
    const start = schemeStart(value, sep);
    if (start < 0) continue;
    // A `://` inside a password (`u:ab://cd@h`) does not start a new item: the first URL goes on.
    if (items.length > 0 && start > 0 && !ITEM_START.test(value[start - 1] ?? '')) continue;
    items.push({ start, authority: sep + 3 });
  }
  return items;
}

/**
 * Passwords in URLs' userinfo (`postgres://app:PASSWORD@db/app`), in every URL of a value: broker
 * lists (`amqp://u:p@a,amqp://u:p@b`), JDBC URLs, URLs inside longer text. People do not
 * percent-encode passwords, so one may hold `/`, `@`, `:` or `,`: a URL's userinfo runs from its
 * `://` to the *last* `@` before the next URL of the list, and its password from the first `:`.
 * When the last `@` belongs to a path or a mail address, more than the password is hidden; that
 * is the side to err on. Also `user:password@tcp(…)`, Go's MySQL DSN. Pure.
 */
export function findUrlPasswords(value: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const items = urlItems(value);
  items.forEach((item, i) => {
    // Within this item only, so many items cost no more than one long one.
    const rest = value.slice(item.authority, items[i + 1]?.start ?? value.length);
    const at = rest.lastIndexOf('@');
    const colon = rest.indexOf(':');
    if (colon >= 0 && colon < at - 1) spans.push({ start: item.authority + colon + 1, end: item.authority + at, kind: 'url-password' });
  });
  const dsn = GO_DSN.exec(value);
  if (items.length === 0 && dsn?.[1]) {
    const start = value.indexOf(':') + 1;
    spans.push({ start, end: start + dsn[1].length, kind: 'url-password' });
  }
  return spans;
}
