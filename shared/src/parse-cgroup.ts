/** One line of `/proc/PID/cgroup`: `hierarchy-ID:controller-list:cgroup-path` (see `man 7 cgroups`). */
export interface CgroupLine {
  hierarchy: number;
  /** Empty for the cgroup v2 line (`0::/path`); `name=systemd` for named v1 hierarchies. */
  controllers: string[];
  path: string;
}

/** Parses `/proc/PID/cgroup`. The path may itself contain `:`, so only the first two split. */
export function parseCgroup(text: string): CgroupLine[] {
  const lines: CgroupLine[] = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first <= 0 || second < 0) continue;
    const hierarchy = Number(line.slice(0, first));
    if (!Number.isSafeInteger(hierarchy)) continue;
    const controllers = line.slice(first + 1, second);
    lines.push({ hierarchy, controllers: controllers ? controllers.split(',') : [], path: line.slice(second + 1) });
  }
  return lines;
}
