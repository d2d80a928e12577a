import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from './logger.ts';
import { parseCli } from './parse-cli.ts';
import { createReplayMode, startServer } from './start-server.ts';
import type { RunningServer } from './start-server.ts';

/**
 * A real server for tests: real /proc, real sockets on port 0, no engine (an unreachable
 * socket) unless one is given, and a throw-away web root. With `--replay FILE`, the recording.
 */
export async function startTestServer(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<RunningServer & { base: string; auth: Record<string, string> }> {
  const cli = parseCli(['--port', '0', '--interval', '200', ...args], { DOCKER_HOST: 'unix:///nonexistent/docker.sock', ...env });
  if (cli.kind !== 'run') throw new Error(`bad test settings: ${JSON.stringify(cli)}`);
  const webRoot = mkdtempSync(path.join(os.tmpdir(), 'proclens-web-'));
  const log = createLogger('error');
  const mode = cli.settings.replay ? await createReplayMode(cli.settings.replay) : undefined;
  const running = await startServer(cli.settings, webRoot, log, mode);
  const host = cli.settings.host === '0.0.0.0' ? '127.0.0.1' : cli.settings.host;
  return {
    ...running,
    base: `http://${host}:${running.port}`,
    auth: { Authorization: `Bearer ${running.token}` },
    close: async () => {
      await running.close();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}
