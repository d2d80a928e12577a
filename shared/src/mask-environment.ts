import type { EnvVar } from './parse-environ.ts';
import type { EnvVarView } from './detail.ts';

/**
 * Names that usually hold secrets, matched anywhere in the name (`DB_PASSWORD`, `GITHUB_TOKEN`,
 * `apiKey`). Substrings over-mask (`KEYBOARD`) on purpose: a hidden harmless value costs less
 * than a leaked one.
 */
const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|KEY|CREDENTIAL|AUTH|PRIVATE|COOKIE|SESSION)/i;
/** `scheme://user:password@host`: a connection URL with a password, whatever the variable is called. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** Whether a variable's value should be hidden unless the user asked to reveal secrets. */
export function isSecretVar(name: string, value: string): boolean {
  return SECRET_NAME.test(name) || URL_WITH_PASSWORD.test(value);
}

/** Masks the values of secret-looking variables; `reveal` (the `--reveal-secrets` flag) shows them. */
export function maskEnvironment(vars: readonly EnvVar[], reveal: boolean): EnvVarView[] {
  return vars.map(({ name, value }) => (!reveal && isSecretVar(name, value) ? { name, value: null, masked: true } : { name, value, masked: false }));
}
