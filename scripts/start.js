// `npm start`: builds the web app when its sources are newer than the last build, then runs the
// proclens command in this same process, so the flags after `npm start --` reach it and npm's
// SIGTERM reaches the server (the package.json script `exec`s this file).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'web/dist/index.html');
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'shared/src', 'package-lock.json'];

/** Newest modification time under a file or directory. */
function newest(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((max, name) => Math.max(max, newest(path.join(file, name))), stat.mtimeMs);
}

const args = process.argv.slice(2);
const justAsking = args.includes('--help') || args.includes('--version');
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (!justAsking && SOURCES.some((s) => newest(path.join(root, s)) > built)) {
  process.stderr.write('proclens: building the web app (once after each change, about 10 s)…\n');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: path.join(root, 'web'), stdio: 'inherit' });
}
await import('../bin/proclens.js');
