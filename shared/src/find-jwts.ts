import type { SecretSpan } from './secret-span.ts';

/** A run of base64url characters and dots: where a compact JWS or JWE could be. */
const RUN = /[A-Za-z0-9_\-.]+/g;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Decodes unpadded base64url (RFC 7515 forbids padding) to a byte string, or null. */
function decodeBase64Url(body: string): string | null {
  if (body.length % 4 === 1) return null;
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const char of body) {
    const sextet = B64URL.indexOf(char);
    if (sextet < 0) return null;
    buffer = (buffer << 6) | sextet;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

/** How many segments the token has when `segment` is a JOSE header: 3 (JWS), 5 (JWE), or 0. */
function joseSegments(segment: string): number {
  // Every JOSE header is a JSON object, and `{` encodes to a leading `e`: a cheap first filter.
  if (!segment.startsWith('e')) return 0;
  const json = decodeBase64Url(segment);
  // Checked before parsing: a thrown parse error costs microseconds, and a value may hold many.
  if (json === null || !json.trimEnd().endsWith('}')) return 0;
  try {
    const header: unknown = JSON.parse(json);
    if (typeof header !== 'object' || header === null || !('alg' in header) || typeof header.alg !== 'string') return 0;
    return 'enc' in header ? 5 : 3;
  } catch {
    return 0;
  }
}

/**
 * JSON Web Tokens in a value (RFC 7519: `header.payload.signature`, or five segments for an
 * encrypted one), anywhere and under any name. A token is recognised by its header, which must
 * decode to a JSON object with an `alg`, so dotted names (`www.example.com`, `1.2.3`) and base64
 * that is not a token are left alone. The whole token is secret: the signature makes it a
 * credential and the payload often holds personal data. Pure.
 */
export function findJwts(value: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  RUN.lastIndex = 0;
  for (let m = RUN.exec(value); m; m = RUN.exec(value)) {
    const segments = m[0].split('.');
    let offset = m.index;
    for (let i = 0; i < segments.length; i++) {
      const count = joseSegments(segments[i] ?? '');
      const token = segments.slice(i, i + count);
      if (count > 0 && token.length === count && (token[1] ?? '') !== '') {
        const end = offset + token.join('.').length;
        spans.push({ start: offset, end, kind: 'jwt' });
        offset = end + 1;
        i += count - 1;
      } else {
        offset += (segments[i] ?? '').length + 1;
      }
    }
  }
  return spans;
}
