import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** proclens's version from package.json, validated; `unknown` when it cannot be read. */
export function readVersion(): string {
  try {
    const pkg = z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')));
    return pkg.success ? pkg.data.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
