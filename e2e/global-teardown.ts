import { rmSync } from 'node:fs';
import path from 'node:path';
import { labDown, repoRoot } from './lab.ts';
import type { ServerProcess } from './lab.ts';
import { RUNTIME_LABS, runtimeLabDown } from './runtime-lab.ts';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { proclensServer?: ServerProcess }).proclensServer?.stop();
  rmSync(path.join(repoRoot, 'e2e/.server.pid'), { force: true });
  await labDown();
  // Each runtime spec removes its own lab; this catches a run stopped half-way.
  for (const lab of Object.keys(RUNTIME_LABS) as Array<keyof typeof RUNTIME_LABS>) await runtimeLabDown(lab).catch(() => undefined);
}
