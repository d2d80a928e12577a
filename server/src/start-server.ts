import { createServer } from 'node:http';
import type { Server } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { buildAllowedHosts, isAllowedHost, isAllowedOrigin } from './check-request.ts';
import { createApp } from './create-app.ts';
import { parseDockerEndpoint } from './docker-endpoint.ts';
import { DockerWatcher } from './docker-watcher.ts';
import type { Logger } from './logger.ts';
import type { Settings } from './parse-cli.ts';
import { ProcScanner } from './proc-scanner.ts';
import { ProcessMonitor } from './process-monitor.ts';
import { readHostConstants } from './read-host-constants.ts';
import { readProcDir } from './read-proc-file.ts';
import { attachSnapshotStream } from './snapshot-stream.ts';

export interface RunningServer {
  url: string;
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
  let monitor: ProcessMonitor | undefined;
  const docker = new DockerWatcher(endpoint, () => monitor?.tickSoon(), log);
  monitor = new ProcessMonitor(
    new ProcScanner(settings.procRoot, constants),
    docker,
    settings.procRoot,
    { hostname: os.hostname(), kernel: os.release(), cpus: os.cpus().length, bootTime: constants.bootTime },
    settings.intervalMs,
    log,
  );
  const allowedHosts = buildAllowedHosts(settings.host);
  const app = createApp({
    monitor,
    procRoot: settings.procRoot,
    revealSecrets: settings.revealSecrets,
    allowedHosts,
    anyHost: false,
    webRoot,
    readConfiguredEnv: (id) => docker.readConfiguredEnv(id),
    log,
  });
  const server = createServer(app);
  const closeStream = attachSnapshotStream(
    server,
    monitor,
    {
      admit: (request) => (isAllowedHost(request.headers, allowedHosts, false) && isAllowedOrigin(request.headers) ? null : 403),
    },
    log,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  monitor.start();
  docker.start();
  const port = (server.address() as AddressInfo).port;
  const shownHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${shownHost}:${port}/`,
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
