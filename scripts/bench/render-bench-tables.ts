import type { BenchResults } from './bench-results.ts';

/**
 * Renders the README's performance tables from the benchmarks' JSON, between marker comments:
 *
 *   <!-- bench:scan -->
 *   …generated…
 *   <!-- /bench:scan -->
 *
 * Pure: text in, text out. `npm run bench:readme` writes the result; a unit test checks README.md
 * is already what this renders.
 */

const BLOCK = /<!-- bench:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/bench:\1 -->/g;

const VERDICT: Record<string, string> = { pass: 'pass', miss: '**missed**', report: '—' };

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown table for one bench's results, with where and when it was measured under it. */
export function renderBenchTable(results: BenchResults): string {
  const lines = ['| figure | measured | target | verdict |', '| --- | --- | --- | --- |'];
  for (const f of results.figures) {
    lines.push(`| ${cell(f.figure)} | ${cell(f.measured)} | ${cell(f.target?.text ?? '—')} | ${VERDICT[f.verdict] ?? f.verdict} |`);
  }
  const day = results.takenAt.slice(0, 10);
  lines.push('');
  lines.push(
    `Generated from [docs/bench/${results.bench}.json](docs/bench/${results.bench}.json): \`${results.command}\`, ${results.revision}, ${day}; ${results.host}.`,
  );
  if (results.note) lines.push(results.note);
  return lines.join('\n');
}

/** The bench names of every marker block in `readme`, in order. */
export function listBenchBlocks(readme: string): string[] {
  return [...readme.matchAll(BLOCK)].map((m) => m[1] as string);
}

/**
 * `readme` with every marker block replaced by the table rendered from its results. A block
 * with no results is an error: a table nobody measures is a table typed by hand.
 */
export function renderBenchBlocks(readme: string, all: ReadonlyMap<string, BenchResults>): string {
  return readme.replace(BLOCK, (_whole, name: string) => {
    const results = all.get(name);
    if (!results) throw new Error(`README block bench:${name} has no docs/bench/${name}.json`);
    return `<!-- bench:${name} -->\n${renderBenchTable(results)}\n<!-- /bench:${name} -->`;
  });
}
