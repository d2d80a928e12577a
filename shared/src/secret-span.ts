/** What stands in for each hidden part of a value. Fixed, so it does not tell a secret's length. */
export const MASK = '••••••';

/** What kind of secret a part of a value is: the classes `maskEnvironment` looks for. */
export type SecretKind = 'private-key' | 'jwt' | 'url-password' | 'password-pair';

/** `value.slice(start, end)` is a secret. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: SecretKind;
}
