import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createLogger } from './logger.ts';
import { USAGE, parseCli } from './parse-cli.ts';
import { startServer } from './start-server.ts';
import type { RunningServer } from './start-server.ts';

/** SIGTERM must end the process within this, whatever is still open. */
const SHUTDOWN_MS = 1500;

const here = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(here, '../..');
const cli = parseCli(process.argv.slice(2), process.env);

if (cli.kind === 'help') {
  process.stdout.write(USAGE);
} else if (cli.kind === 'version') {
  const pkg = z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')));
  process.stdout.write(`proclens ${pkg.success ? pkg.data.version : 'unknown'}\n`);
} else if (cli.kind === 'error') {
  process.stderr.write(`proclens: ${cli.message}\nRun with --help for the options.\n`);
  process.exitCode = 2;
} else {
  const log = createLogger(cli.settings.verbose ? 'debug' : 'info');
  let running: RunningServer | undefined;
  let stopping = false;
  // Registered before anything starts, so a signal during start-up is honoured too.
  const shutdown = (signal: string): void => {
    if (stopping) return process.exit(1);
    stopping = true;
    log.info('shutting down', { signal });
    setTimeout(() => process.exit(1), SHUTDOWN_MS).unref();
    if (!running) return process.exit(0);
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    running = await startServer(cli.settings, path.join(rootDir, 'web/dist'), log);
    if (stopping) await running.close();
    process.stdout.write(`proclens is watching this host at ${running.url}\n`);
    if (running.token && !cli.settings.token) {
      process.stdout.write(
        'Bound beyond loopback: the address above holds a fresh access token. Share it only with people who may see every process on this host.\n',
      );
    }
    if (cli.settings.open) {
      execFile('xdg-open', [running.url], (err) => err && log.warn('could not open a browser', { error: err.message }));
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${cli.settings.port} is already in use: pick another with --port or PORT`
        : err instanceof Error
          ? err.message
          : String(err);
    process.stderr.write(`proclens: ${message}\n`);
    process.exit(1);
  }
}
