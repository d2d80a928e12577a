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
