/**
 * Where a process's CPU went, from a V8 `.cpuprofile` (node --cpu-prof): self time by function
 * and by area (file, or package), over the samples between two monotonic times, as markdown.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function and by file, over samples taken between `fromUs` and `toUs` (monotonic). */
export function summariseCpuProfile(file: string, root: string, fromUs: number, toUs: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < fromUs || t > toUs) continue;
    const id = profile.samples[i] as number;
    if (byId.get(id)?.callFrame.functionName === '(idle)') continue;
    self.set(id, (self.get(id) ?? 0) + delta);
    total += delta;
  }
  const where = (url: string): string => {
    if (!url) return '(native)';
    const clean = url.replace(/^file:\/\//, '').replace(/\?.*$/, '');
    return clean.startsWith(root) ? path.relative(root, clean).replace(/^node_modules\//, '') : clean.replace(/^node:/, 'node:');
  };
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const file = where(frame.url);
    const area =
      file.startsWith('(') || file.startsWith('node:')
        ? file
        : file
            .split('/')
            .slice(0, file.includes('/src/') ? 3 : 1)
            .join('/');
    // tsx-compiled modules report line 0: the file names the place well enough.
    const name = `${frame.functionName || '(anonymous)'} · ${file}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(area, (byFile.get(area) ?? 0) + us);
  }
  const seconds = (toUs - fromUs) / 1e6;
  const rows = (m: Map<string, number>, n: number): string[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `| ${k.replace(/\|/g, '\\|')} | ${(us / 1000 / seconds).toFixed(1)} ms/s | ${((us / total) * 100).toFixed(1)} % |`);
  return [
    `Server CPU profile over idle + churn (${seconds.toFixed(0)} s, ${(total / 1000 / seconds).toFixed(0)} ms of every wall-clock second the main thread was busy, whether running or waiting for a core):`,
    '',
    '| function (self time) | busy | share |',
    '| --- | --- | --- |',
    ...rows(byFunction, 15),
    '',
    '| area | busy | share |',
    '| --- | --- | --- |',
    ...rows(byFile, 10),
  ].join('\n');
}
