import { createServer } from 'node:http';
import type { Server } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { buildAllowedHosts, isAllowedHost, isAllowedOrigin } from './check-request.ts';
import { isAuthorised } from './check-token.ts';
import { createApp } from './create-app.ts';
import { parseDockerEndpoint } from './docker-endpoint.ts';
import { DockerWatcher } from './docker-watcher.ts';
import type { Logger } from './logger.ts';
import { isLoopback } from './parse-cli.ts';
import type { Settings } from './parse-cli.ts';
import { ProcScanner } from './proc-scanner.ts';
import { ProcessMonitor } from './process-monitor.ts';
import { readHostConstants } from './read-host-constants.ts';
import { readProcDir } from './read-proc-file.ts';
import { attachSnapshotStream } from './snapshot-stream.ts';

export interface RunningServer {
  /** The dashboard's address, with the token when one is needed. */
  url: string;
  token: string | null;
  port: number;
  server: Server;
  monitor: ProcessMonitor;
  close(): Promise<void>;
}

/** Starts everything: the scanner, the engine watcher, HTTP and WebSocket. */
export async function startServer(settings: Settings, webRoot: string, log: Logger): Promise<RunningServer> {
  const probe = readProcDir(settings.procRoot);
  if (!probe.ok) throw new Error(`cannot read ${settings.procRoot}: ${probe.message}`);
  const constants = readHostConstants(settings.procRoot);
  const endpoint = parseDockerEndpoint(settings.dockerHost);
  const docker = new DockerWatcher(endpoint, () => monitor.tickSoon(), log);
  const monitor = new ProcessMonitor(
    new ProcScanner(settings.procRoot, constants, { refreshBudgetMs: (settings.intervalMs * settings.cpuBudget) / 100 }),
    [docker],
    settings.procRoot,
    { hostname: os.hostname(), kernel: os.release(), cpus: os.cpus().length, bootTime: constants.bootTime },
    settings.intervalMs,
    log,
  );
  // Beyond loopback anyone on the network could read every command line: demand a token.
  const token = settings.token ?? (isLoopback(settings.host) ? null : randomBytes(24).toString('base64url'));
  const anyHost = settings.host === '0.0.0.0' || settings.host === '::';
  const allowedHosts = buildAllowedHosts(settings.host, settings.allowedHosts);
  let port = settings.port;
  const app = createApp({
    monitor,
    procRoot: settings.procRoot,
    revealSecrets: settings.revealSecrets,
    allowedHosts,
    anyHost,
    token,
    port: () => port,
    webRoot,
    inspectContainer: (id) => docker.inspect(id),
    log,
  });
  const server = createServer(app);
  const closeStream = attachSnapshotStream(
    server,
    monitor,
    {
      admit: (request) => {
        if (!isAllowedHost(request.headers, allowedHosts, anyHost) || !isAllowedOrigin(request.headers)) return 403;
        return isAuthorised(request.headers, request.url ?? '/', port, token) ? null : 401;
      },
    },
    log,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    closeStream();
    throw err;
  }
  monitor.start();
  docker.start();
  port = (server.address() as AddressInfo).port;
  const shownHost = anyHost ? os.hostname() : settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`,
    token,
    port,
    server,
    monitor,
    close: async () => {
      monitor.stop();
      docker.stop();
      closeStream();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
