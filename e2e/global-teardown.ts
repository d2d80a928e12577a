import { rmSync } from 'node:fs';
import path from 'node:path';
import { labDown, repoRoot } from './lab.ts';
import type { ServerProcess } from './lab.ts';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { proclensServer?: ServerProcess }).proclensServer?.stop();
  rmSync(path.join(repoRoot, 'e2e/.server.pid'), { force: true });
  await labDown();
}
