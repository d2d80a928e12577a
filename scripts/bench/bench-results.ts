import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';

/**
 * What a benchmark publishes: every figure with its target and verdict, as JSON in
 * `docs/bench/<bench>.json`. The README's performance tables are rendered from these files
 * (`npm run bench:readme`) and a unit test fails when they differ, so no figure is typed by hand.
 */

/** A limit a figure must stay within; `text` is how the README states it (`≤ 0.05× ps`). */
export interface BenchTarget {
  max?: number;
  min?: number;
  text: string;
}

export interface BenchFigure {
  /** Stable key within the bench (`steady-tick-ps-ratio`). */
  id: string;
  /** The row's name in the README (`steady tick at 5,000`). */
  figure: string;
  /** The number the target is checked against, in `unit`. */
  value: number;
  unit: string;
  /** The measured column: the value and what it needs beside it (CPU time next to wall time). */
  measured: string;
  /** null: reported, no target. */
  target: BenchTarget | null;
  verdict: 'pass' | 'miss' | 'report';
}

export interface BenchResults {
  /** `scan` for `npm run bench:scan`; also the file name and the README marker. */
  bench: string;
  /** The command that printed these figures, as typed. */
  command: string;
  takenAt: string;
  revision: string;
  /** The machine and its load when the run started. */
  host: string;
  /** One sentence the README prints under the table (conditions, why a miss), or empty. */
  note: string;
  figures: BenchFigure[];
}

/** pass when the value is within the target, miss when not (NaN: never measured), report without one. */
export function judge(value: number, target: BenchTarget | null): BenchFigure['verdict'] {
  if (!target) return 'report';
  if (!Number.isFinite(value)) return 'miss';
  if (target.max !== undefined && value > target.max) return 'miss';
  if (target.min !== undefined && value < target.min) return 'miss';
  return 'pass';
}

/** A figure with its verdict worked out from its value and target. */
export function figure(fields: Omit<BenchFigure, 'verdict'>): BenchFigure {
  return { ...fields, verdict: judge(fields.value, fields.target) };
}

export function benchResultsPath(root: string, bench: string): string {
  return path.join(root, 'docs', 'bench', `${bench}.json`);
}

/** Writes `docs/bench/<bench>.json`, formatted as Prettier would (the lint step checks JSON). */
export async function writeBenchResults(root: string, results: BenchResults): Promise<string> {
  const file = benchResultsPath(root, results.bench);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await format(JSON.stringify(results), { parser: 'json', printWidth: 160 }));
  return file;
}

/** Every `docs/bench/*.json`, by bench name. */
export function readAllBenchResults(root: string): Map<string, BenchResults> {
  const dir = path.join(root, 'docs', 'bench');
  const all = new Map<string, BenchResults>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return all;
  }
  for (const name of names.sort()) {
    const results = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as BenchResults;
    all.set(results.bench, results);
  }
  return all;
}

/** One line for the terminal: `PASS steady tick at 5,000: 0.021× ps (target ≤ 0.05× ps)`. */
export function formatVerdict(f: BenchFigure): string {
  const tag = f.verdict === 'report' ? 'INFO' : f.verdict.toUpperCase();
  return `${tag} ${f.figure}: ${f.measured}${f.target ? ` (target ${f.target.text})` : ''}`;
}
