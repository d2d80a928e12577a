import type { SecretSpan } from './secret-span.ts';

/**
 * RFC 7468 armour: `-----BEGIN RSA PRIVATE KEY-----`, `OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY
 * BLOCK`… Bounded repeats, so a long run of capitals cannot make the match backtrack for long.
 */
const BEGIN = /-----BEGIN ([A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,20})-----/g;

/**
 * The bodies of PEM private-key blocks in a value: everything between the BEGIN and END lines, so
 * the armour (which says what it is) stays visible. A block with no END line (cut short, or
 * stored with its newlines lost) is secret to the end of the value. Certificates and public keys
 * are not secrets and are not returned. Pure.
 */
export function findPrivateKeys(value: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(value); m; m = BEGIN.exec(value)) {
    const start = m.index + m[0].length;
    const end = value.indexOf(`-----END ${m[1] ?? ''}-----`, start);
    spans.push({ start, end: end < 0 ? value.length : end, kind: 'private-key' });
    if (end < 0) break;
    BEGIN.lastIndex = end;
  }
  return spans;
}
