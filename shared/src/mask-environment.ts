import type { EnvVarView } from './detail.ts';
import { findJwts } from './find-jwts.ts';
import { findPrivateKeys } from './find-private-keys.ts';
import { findSecretPairs } from './find-secret-pairs.ts';
import { findUrlPasswords } from './find-url-passwords.ts';
import type { EnvVar } from './parse-environ.ts';
import { MASK } from './secret-span.ts';
import type { SecretSpan } from './secret-span.ts';

/**
 * Names that usually hold secrets, matched anywhere in the name (`DB_PASSWORD`, `MYSQL_PWD`,
 * `PGPASS`, `GITHUB_TOKEN`, `apiKey`, `AWS_SHARED_CREDENTIALS_FILE`). Substrings over-mask
 * (`KEYBOARD`, `PASSENGER_ENV`) on purpose: a hidden harmless value costs less than a leaked one.
 */
const SECRET_NAME = /PASS|PWD|SECRET|TOKEN|KEY|CRED|AUTH|PRIVATE|COOKIE|SESSION/i;
/** The shell's working directories: paths, and in nearly every environment. */
const PATH_NAMES = new Set(['PWD', 'OLDPWD']);

/** Whether a variable's name says it holds a secret, so its whole value is hidden. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !PATH_NAMES.has(name);
}

/**
 * Every secret part of a value: private keys, JWTs, URL passwords, `password=` pairs. `masked`:
 * a second look at a masked value, where each `MASK` stands for the part it hides.
 */
export function findSecrets(value: string, masked = false): SecretSpan[] {
  return [...findPrivateKeys(value), ...findJwts(value), ...findUrlPasswords(value), ...findSecretPairs(value, masked)]
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
}

/** The value with each secret part (overlapping parts merged) replaced by `MASK`. */
function replaceSpans(value: string, spans: readonly SecretSpan[]): string {
  let out = '';
  /** End of the last masked part; spans are sorted by start, so one that starts before it overlaps. */
  let at = -1;
  for (const span of spans) {
    if (span.start > at) out += value.slice(Math.max(at, 0), span.start) + MASK;
    at = Math.max(at, span.end);
  }
  return out + value.slice(Math.max(at, 0));
}

/**
 * A value as it may be shown: unchanged when it holds no secret, with each secret part replaced
 * by `MASK` (`postgres://app:••••••@db/app`) when the rest is safe to show, or null when the whole
 * value must be hidden. The rest is safe when looking again finds nothing but masks: if hiding
 * one part exposed another shape of secret, nothing of the value is shown. Pure.
 */
export function maskValue(value: string): string | null {
  const spans = findSecrets(value);
  if (spans.length === 0) return value;
  const shown = replaceSpans(value, spans);
  return findSecrets(shown, true).every((s) => shown.slice(s.start, s.end) === MASK) ? shown : null;
}

/** Whether a variable's value should be hidden, in whole or in part, unless secrets are revealed. */
export function isSecretVar(name: string, value: string): boolean {
  return isSecretName(name) || findSecrets(value).length > 0;
}

/**
 * Masks secrets in an environment, by name (the whole value: `{ value: null, masked: true }`) and
 * by value (only the secret parts, or the whole value when parts cannot be shown safely).
 * `reveal` (the `--reveal-secrets` flag) shows everything. Pure.
 */
export function maskEnvironment(vars: readonly EnvVar[], reveal: boolean): EnvVarView[] {
  return vars.map(({ name, value }) => {
    if (reveal) return { name, value, masked: false };
    if (isSecretName(name)) return { name, value: null, masked: true };
    const shown = maskValue(value);
    return { name, value: shown, masked: shown !== value };
  });
}
