/**
 * Splits NUL-separated text (`/proc/PID/cmdline`, `/proc/PID/environ`). The list ends with a NUL,
 * so one trailing empty entry is dropped; empty strings in the middle are real (`sh -c '' x`).
 */
export function parseNulList(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Parses `/proc/PID/cmdline` as argv. A process that rewrites its argv (Debian's redis-server
 * shows `redis-server *:6379`) pads the old space with NUL bytes, which read as trailing empty
 * arguments: those are dropped, as `ps` does. Empty arguments before the last real one are kept.
 */
export function parseCmdline(text: string): string[] {
  const argv = parseNulList(text);
  while (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
  return argv;
}
