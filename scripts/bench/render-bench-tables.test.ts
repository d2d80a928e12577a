import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { figure, judge, readAllBenchResults } from './bench-results.ts';
import type { BenchResults } from './bench-results.ts';
import { mean, median, percentile } from './percentile.ts';
import { listBenchBlocks, renderBenchBlocks, renderBenchTable } from './render-bench-tables.ts';
import { parseTimesChildren } from './time-ps.ts';
import { REPO_ROOT } from './update-readme.ts';

const sample: BenchResults = {
  bench: 'demo',
  command: 'npm run bench:demo',
  takenAt: '2026-01-02T03:04:05.000Z',
  revision: 'commit abc1234',
  host: '2 cores, load 1.00',
  note: 'A note.',
  figures: [
    figure({ id: 'a', figure: 'steady tick', value: 0.02, unit: '×', measured: '10 ms, 0.02× ps', target: { max: 0.05, text: '≤ 0.05× ps' } }),
    figure({ id: 'b', figure: 'cold | first', value: 0.7, unit: '×', measured: '0.7× ps', target: { max: 0.5, text: '≤ 0.5× ps' } }),
    figure({ id: 'c', figure: 'at 20,000', value: 12, unit: 'ms', measured: '12 ms', target: null }),
  ],
};

describe('percentile', () => {
  it.each([
    [[], 50, NaN],
    [[7], 99, 7],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 75, 3],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[5, Infinity, 1], 99, Infinity],
    [[5, 1, 3], 0, 1],
  ])('percentile of %j at p%d is %d (nearest rank, a measured sample)', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('median is the lower middle sample and mean the average', () => {
    expect(median([3, 1, 4, 2])).toBe(2);
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });
});

describe('bench results', () => {
  it.each([
    [0.04, { max: 0.05, text: '' }, 'pass'],
    [0.05, { max: 0.05, text: '' }, 'pass'],
    [0.06, { max: 0.05, text: '' }, 'miss'],
    [29, { min: 30, text: '' }, 'miss'],
    [NaN, { max: 1, text: '' }, 'miss'],
    [5, null, 'report'],
  ] as const)('judge(%d, %j) is %s', (value, target, verdict) => {
    expect(judge(value, target)).toBe(verdict);
  });

  it('parseTimesChildren adds user and system time of the children line of bash `times`', () => {
    expect(parseTimesChildren('0m0.010s 0m0.020s\n0m0.012s 0m0.031s\n')).toBeCloseTo(43, 6);
    expect(parseTimesChildren('garbage')).toBeNaN();
  });
});

describe('renderBenchTable', () => {
  it('renders one row per figure with its verdict, pipes escaped, and where it came from', () => {
    expect(renderBenchTable(sample).split('\n')).toEqual([
      '| figure | measured | target | verdict |',
      '| --- | --- | --- | --- |',
      '| steady tick | 10 ms, 0.02× ps | ≤ 0.05× ps | pass |',
      '| cold \\| first | 0.7× ps | ≤ 0.5× ps | **missed** |',
      '| at 20,000 | 12 ms | — | — |',
      '',
      'Generated from [docs/bench/demo.json](docs/bench/demo.json): `npm run bench:demo`, commit abc1234, 2026-01-02; 2 cores, load 1.00.',
      'A note.',
    ]);
  });

  it('replaces only what is between a bench block’s markers and refuses a block without results', () => {
    const readme = 'before\n<!-- bench:demo -->\nold table\n<!-- /bench:demo -->\nafter\n';
    const out = renderBenchBlocks(readme, new Map([['demo', sample]]));
    expect(out.startsWith('before\n<!-- bench:demo -->\n| figure |')).toBe(true);
    expect(out.endsWith('A note.\n<!-- /bench:demo -->\nafter\n')).toBe(true);
    expect(renderBenchBlocks(out, new Map([['demo', sample]]))).toBe(out);
    expect(listBenchBlocks(out)).toEqual(['demo']);
    expect(() => renderBenchBlocks(readme, new Map())).toThrow(/bench:demo has no docs\/bench\/demo.json/);
  });
});

describe('README performance tables', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const all = readAllBenchResults(REPO_ROOT);

  it('README.md’s bench tables are exactly what docs/bench/*.json render (run `npm run bench:readme`)', () => {
    expect(readme).toBe(renderBenchBlocks(readme, all));
  });

  it('every docs/bench/*.json is shown in a README block, and its verdicts follow from its values', () => {
    const blocks = listBenchBlocks(readme);
    for (const [name, results] of all) {
      expect(blocks, `docs/bench/${name}.json`).toContain(name);
      for (const f of results.figures) expect(f.verdict, `${name}: ${f.figure}`).toBe(judge(f.value, f.target));
    }
  });
});
