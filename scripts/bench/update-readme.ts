/**
 * `npm run bench:readme`: renders the README's performance tables from docs/bench/*.json (see
 * render-bench-tables.ts). Each bench also runs this after writing its JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAllBenchResults } from './bench-results.ts';
import { listBenchBlocks, renderBenchBlocks } from './render-bench-tables.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Rewrites README.md's bench blocks; returns the benches whose JSON has no block (not shown). */
export function updateReadme(root = REPO_ROOT): { changed: boolean; unshown: string[] } {
  const file = path.join(root, 'README.md');
  const before = readFileSync(file, 'utf8');
  const all = readAllBenchResults(root);
  const after = renderBenchBlocks(before, all);
  if (after !== before) writeFileSync(file, after);
  const shown = new Set(listBenchBlocks(after));
  return { changed: after !== before, unshown: [...all.keys()].filter((name) => !shown.has(name)) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { changed, unshown } = updateReadme();
  process.stdout.write(`README.md ${changed ? 'updated' : 'already up to date'}\n`);
  for (const name of unshown) process.stderr.write(`docs/bench/${name}.json has no <!-- bench:${name} --> block in README.md\n`);
  if (unshown.length > 0) process.exitCode = 1;
}
