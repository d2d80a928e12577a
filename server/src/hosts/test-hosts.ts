import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../logger.ts';
import { parseCli } from '../parse-cli.ts';
import type { Settings } from '../parse-cli.ts';
import { startAgent } from './start-agent.ts';
import type { RunningAgent } from './start-agent.ts';
import { startHub } from './start-hub.ts';
import type { RunningHub } from './start-hub.ts';

/** Agents and hubs for tests, in this process: no engine (an unreachable socket), real /proc, real NATS. */

export const TEST_TOKEN = 'test-token-for-the-hub-0123456789';
const quiet = createLogger('error');

export function settingsFor(args: string[]): Settings {
  const cli = parseCli(args, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  if (cli.kind !== 'run') throw new Error(`bad test settings: ${JSON.stringify(cli)}`);
  return cli.settings;
}

export function startTestAgent(natsUrl: string, name: string, extra: string[] = []): Promise<RunningAgent> {
  return startAgent(settingsFor(['agent', '--nats', natsUrl, '--name', name, ...extra]), '/nonexistent', quiet);
}

export interface TestHub extends RunningHub {
  base: string;
  auth: Record<string, string>;
  get(pathname: string): Promise<{ status: number; body: unknown; text: string }>;
}

export async function startTestHub(natsUrl: string, extra: string[] = []): Promise<TestHub> {
  const webRoot = mkdtempSync(path.join(os.tmpdir(), 'pl-hosts-web-'));
  const hub = await startHub(settingsFor(['hub', '--nats', natsUrl, '--port', '0', '--token', TEST_TOKEN, ...extra]), webRoot, quiet).catch((err: unknown) => {
    rmSync(webRoot, { recursive: true, force: true });
    throw err;
  });
  const base = `http://127.0.0.1:${hub.port}`;
  const auth = { Authorization: `Bearer ${TEST_TOKEN}` };
  return {
    ...hub,
    base,
    auth,
    get: async (pathname) => {
      const response = await fetch(`${base}${pathname}`, { headers: auth });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: response.status, body, text };
    },
    close: async () => {
      await hub.close();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}
