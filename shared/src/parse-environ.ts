import { parseNulList } from './parse-nul-list.ts';

export interface EnvVar {
  name: string;
  value: string;
}

/** How `/proc/PID/environ` looked when read. */
export type EnvironState =
  /** Variables were read. */
  | 'ok'
  /** The file was empty: kernel threads, zombies, or a process started with no environment. */
  | 'empty'
  /** The file held only NUL bytes: the process overwrote its environment (Debian's redis-server 7 does). */
  | 'zeroed';

/** Splits one `NAME=value` entry at its first `=`; an entry without one is a name with no value. */
export function parseEnvEntry(entry: string): EnvVar {
  const eq = entry.indexOf('=');
  return eq < 0 ? { name: entry, value: '' } : { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
}

/** Parses `/proc/PID/environ` and says honestly whether the process zeroed it. */
export function parseEnviron(text: string): { state: EnvironState; vars: EnvVar[] } {
  if (text === '') return { state: 'empty', vars: [] };
  if (/^\0+$/.test(text)) return { state: 'zeroed', vars: [] };
  const vars = parseNulList(text)
    .filter((entry) => entry !== '')
    .map(parseEnvEntry);
  return { state: vars.length === 0 ? 'zeroed' : 'ok', vars };
}
