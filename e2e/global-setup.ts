import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOCKER_HOST, labUp, repoRoot, startServer } from './lab.ts';

/** Starts the lab engine with `db` running, then the real server against it. */
export default async function globalSetup(): Promise<void> {
  await labUp();
  const server = await startServer({ DOCKER_HOST });
  process.env.PROCLENS_URL = server.url;
  // Teardown runs in this process, but keep the pid on disk too for .ci/run's safety net.
  writeFileSync(path.join(repoRoot, 'e2e/.server.pid'), String(server.child.pid));
  (globalThis as { proclensServer?: typeof server }).proclensServer = server;
}
