/**
 * `npm run docs:cli`: rewrites README.md's option tables (`<!-- cli:serve -->` blocks) from the
 * option table in server/src/parse-cli.ts, the same one `--help` prints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCliBlocks } from '../server/src/build-options-table.ts';

const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../README.md');
const before = readFileSync(readme, 'utf8');
const after = renderCliBlocks(before);
if (after !== before) writeFileSync(readme, after);
process.stdout.write(`README.md ${after === before ? 'already up to date' : 'updated'}\n`);
