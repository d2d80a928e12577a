/** What the model takes from `/proc/PID/status` (see `man 5 proc`, "/proc/pid/status"). */
export interface Status {
  name: string;
  /** Real, effective, saved and filesystem uid. */
  uid: number[];
  gid: number[];
  ppid: number | null;
  threads: number | null;
  /** Pid in each pid namespace, outermost (the host's) first: `[2984, 1]` is pid 1 in its container. */
  nspid: number[];
  /** Every field as the kernel wrote it, in order, for the detail pane. */
  fields: Array<[string, string]>;
}

/** Parses `/proc/PID/status`: `Key:\tvalue` lines. The Name field escapes `\n` as `\\n`. */
export function parseStatus(text: string): Status {
  const fields: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    // Name is the one value whose spaces are its own (a process may be called " x y "); the
    // others are padded for alignment.
    const value = line.slice(colon + 1);
    fields.push([key, key === 'Name' ? value.replace(/^\t/, '') : value.trim()]);
  }
  const get = (key: string): string | undefined => fields.find(([k]) => k === key)?.[1];
  const ints = (key: string): number[] => (get(key) ?? '').split(/\s+/).filter(Boolean).map(Number).filter(Number.isSafeInteger);
  const int = (key: string): number | null => ints(key)[0] ?? null;
  return {
    name: get('Name') ?? '',
    uid: ints('Uid'),
    gid: ints('Gid'),
    ppid: int('PPid'),
    threads: int('Threads'),
    nspid: ints('NSpid'),
    fields,
  };
}
