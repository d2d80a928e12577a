import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Node flags `npm start` gives the server (`exec node --max-semi-space-size=4
 * scripts/start.js`), read from package.json: benches run the server, or its scanner, with the
 * same V8 settings as users do.
 */
export function readStartNodeFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  const node = words.indexOf('node');
  const script = words.findIndex((w) => w.endsWith('.js') || w.endsWith('.ts'));
  if (node < 0 || script < node) throw new Error(`package.json "start" is not "node [flags] script": ${pkg.scripts?.start ?? '(none)'}`);
  return words.slice(node + 1, script).filter((w) => w.startsWith('--'));
}
