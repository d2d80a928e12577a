import { execFile } from 'node:child_process';
import { renderUnicodeCompact } from 'uqr';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { buildUsage, parseCli } from './parse-cli.ts';
import type { Settings } from './parse-cli.ts';
import { buildStartBanner } from './build-start-banner.ts';
import { startAgent } from './hosts/start-agent.ts';
import { startHub } from './hosts/start-hub.ts';
import { createLiveMode, createReplayMode, startServer } from './start-server.ts';

/** SIGTERM must end the process within this, whatever is still open. */
const SHUTDOWN_MS = 1500;
/** How often a server started by npm checks that npm is still there. */
const PARENT_CHECK_MS = 1000;

const here = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(here, '../..');

/** Something running that can be stopped: the dashboard server, an agent, a hub. */
interface Running {
  close(): Promise<void>;
}

async function run(settings: Settings, log: Logger): Promise<Running> {
  switch (settings.command) {
    case 'serve': {
      // A recording is read and checked whole before anything is served.
      const mode = settings.replay ? await createReplayMode(settings.replay) : createLiveMode(settings, log);
      const running = await startServer(settings, path.join(rootDir, 'web/dist'), log, mode);
      process.stdout.write(buildStartBanner(settings, running.urls, renderUnicodeCompact));
      if (settings.open) execFile('xdg-open', [running.url], (err) => err && log.warn('could not open a browser', { error: err.message }));
      return running;
    }
    case 'agent': {
      const agent = await startAgent(settings, path.join(rootDir, 'web/dist'), log);
      process.stdout.write(`proclens agent is publishing this host as "${agent.name}" to NATS at ${agent.nats}\n`);
      if (agent.server) process.stdout.write(`  and serving its own dashboard at ${agent.server.url}\n`);
      return agent;
    }
    case 'hub': {
      const hub = await startHub(settings, path.join(rootDir, 'web/dist'), log);
      const [first, ...others] = hub.urls;
      process.stdout.write(`proclens hub is showing every host on NATS at ${hub.nats}: ${first?.url ?? hub.url}\n`);
      for (const other of others) process.stdout.write(`  ${other.label}: ${other.url}\n`);
      process.stdout.write('The address holds an access token: share it only with people who may see every process on these hosts.\n');
      if (settings.open) execFile('xdg-open', [hub.url], (err) => err && log.warn('could not open a browser', { error: err.message }));
      return hub;
    }
    default:
      return assertNever(settings.command);
  }
}

/**
 * `npm start` runs the server as npm's child. npm forwards SIGTERM, but if npm itself is killed
 * outright the server would live on, reparented; so it watches for that and leaves too.
 */
function followParent(shutdown: (reason: string) => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('npm exited');
  }, PARENT_CHECK_MS).unref();
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2), process.env);
  switch (cli.kind) {
    case 'help':
      return void process.stdout.write(buildUsage(cli.command));
    case 'version': {
      const pkg = z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')));
      return void process.stdout.write(`proclens ${pkg.success ? pkg.data.version : 'unknown'}\n`);
    }
    case 'error':
      process.stderr.write(`proclens: ${cli.message}\nRun with --help for the options.\n`);
      process.exitCode = 2;
      return;
    case 'run':
      break;
    default:
      return assertNever(cli);
  }
  const log = createLogger(cli.settings.verbose ? 'debug' : 'info');
  let running: Running | undefined;
  let stopping = false;
  // Registered before anything starts, so a signal during start-up is honoured too.
  const shutdown = (reason: string): void => {
    if (stopping) return process.exit(1);
    stopping = true;
    log.info('shutting down', { reason });
    setTimeout(() => process.exit(1), SHUTDOWN_MS).unref();
    if (!running) return process.exit(0);
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  followParent(shutdown);
  try {
    running = await run(cli.settings, log);
    if (stopping) await running.close();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${cli.settings.port} is already in use: pick another with --port or PORT`
        : code === 'EADDRNOTAVAIL'
          ? `cannot bind ${cli.settings.host}: no interface of this machine has that address`
          : err instanceof Error
            ? err.message
            : String(err);
    process.stderr.write(`proclens: ${message}\n`);
    process.exit(1);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}

await main();
