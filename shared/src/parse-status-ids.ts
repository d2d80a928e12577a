/** The two facts of `/proc/PID/status` the scanner reads for every process. */
export interface StatusIds {
  /** Real uid (the first of `Uid:`), or null when the line is missing. */
  uid: number | null;
  /** `NSpid:`, outermost pid namespace first; empty when the kernel has no such line. */
  nspid: number[];
}

/**
 * `Uid:` and `NSpid:` of `/proc/PID/status`, found by position: `parseStatus` builds all ~55
 * fields for the detail pane, which made it the costliest step of a cold scan (bench:scan). The
 * same values as `parseStatus(text).uid[0]` and `.nspid`.
 */
export function parseStatusIds(text: string): StatusIds {
  const uid = integers(lineValue(text, 'Uid:'))[0];
  return { uid: uid ?? null, nspid: integers(lineValue(text, 'NSpid:')) };
}

function lineValue(text: string, key: string): string {
  let at: number;
  if (text.startsWith(key)) at = 0;
  else {
    const line = text.indexOf(`\n${key}`);
    if (line < 0) return '';
    at = line + 1;
  }
  const from = at + key.length;
  const end = text.indexOf('\n', from);
  return text.slice(from, end < 0 ? text.length : end);
}

function integers(value: string): number[] {
  return value.split(/\s+/).filter(Boolean).map(Number).filter(Number.isSafeInteger);
}
