import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Router } from 'express';
import { createAccess, generateToken } from './access.ts';
import type { Access } from './access.ts';
import { buildBannerUrls } from './build-banner.ts';
import type { BannerUrl } from './build-banner.ts';
import type { ContainerEngine } from './container-engine.ts';
import { createApp } from './create-app.ts';
import { createLiveApi } from './create-live-api.ts';
import { parseDockerEndpoint } from './docker-endpoint.ts';
import { DockerWatcher } from './docker-watcher.ts';
import type { Logger } from './logger.ts';
import type { Settings } from './parse-cli.ts';
import { ProcScanner } from './proc-scanner.ts';
import { ProcessMonitor } from './process-monitor.ts';
import { readHostConstants } from './read-host-constants.ts';
import { readProcDir } from './read-proc-file.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';
import { attachSnapshotStream } from './snapshot-stream.ts';

export interface RunningServer {
  /** The dashboard's address on this machine, with the presenter token. */
  url: string;
  /** Every address to print, labelled. */
  urls: BannerUrl[];
  token: string;
  audienceToken: string | null;
  port: number;
  server: Server;
  feed: SnapshotFeed;
  close(): Promise<void>;
}

/** What a mode (live host, recording, hub) contributes to the one HTTP + WebSocket server. */
export interface Mode {
  api: Router;
  /** The feed a `/ws` request is for; the hub picks one per host. */
  feedFor(query: URLSearchParams): SnapshotFeed | null;
  /** The feed `/api/snapshot` and the first client see (for tests and the banner). */
  feed: SnapshotFeed;
  start(): void;
  stop(): Promise<void> | void;
}

/** The live host: the /proc scanner, every engine, and the monitor joining them. */
export function createLiveMode(settings: Settings, log: Logger): Mode {
  const probe = readProcDir(settings.procRoot);
  if (!probe.ok) throw new Error(`cannot read ${settings.procRoot}: ${probe.message}`);
  const constants = readHostConstants(settings.procRoot);
  const engines: ContainerEngine[] = [new DockerWatcher(parseDockerEndpoint(settings.dockerHost ?? undefined), () => monitor.tickSoon(), log)];
  const scanner = new ProcScanner(settings.procRoot, constants, { refreshBudgetMs: (settings.intervalMs * settings.cpuBudget) / 100 });
  const monitor = new ProcessMonitor(
    scanner,
    engines,
    settings.procRoot,
    { hostname: os.hostname(), kernel: os.release(), cpus: os.cpus().length, bootTime: constants.bootTime },
    settings.intervalMs,
    log,
  );
  const api = createLiveApi({
    feed: monitor,
    procRoot: settings.procRoot,
    revealSecrets: settings.revealSecrets,
    readProcess: (pid) => scanner.readOne(pid),
    inspectContainer: (container) => engines.find((e) => e.kind === container.engine)?.inspect(container.id) ?? Promise.resolve(null),
  });
  return {
    api,
    feed: monitor,
    feedFor: () => monitor,
    start: () => {
      monitor.start();
      for (const engine of engines) engine.start();
    },
    stop: () => {
      monitor.stop();
      for (const engine of engines) engine.stop();
    },
  };
}

/** The addresses other machines can reach this one at (for `--share` and `--host 0.0.0.0`). */
function readInterfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
}

/** Starts the HTTP and WebSocket server over a mode, behind the access token. */
export async function startServer(settings: Settings, webRoot: string, log: Logger, mode: Mode = createLiveMode(settings, log)): Promise<RunningServer> {
  let port = settings.port ?? 0;
  const access: Access = createAccess({
    presenterToken: settings.token ?? generateToken(),
    audienceToken: settings.share ? generateToken() : null,
    bindHost: settings.host,
    allowedHosts: settings.allowedHosts,
    port: () => port,
  });
  const app = createApp({ access, api: mode.api, webRoot, log });
  const server = createServer(app);
  // Slow or half-open clients must not hold sockets open for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const closeStream = attachSnapshotStream(server, { access, feedFor: (target) => mode.feedFor(target.query), log });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    closeStream();
    await mode.stop();
    throw err;
  }
  mode.start();
  port = (server.address() as AddressInfo).port;
  const urls = buildBannerUrls(settings.host, port, access.presenterToken, readInterfaceAddresses());
  return {
    url: urls[0]?.url ?? '',
    urls,
    token: access.presenterToken,
    audienceToken: access.audienceToken,
    port,
    server,
    feed: mode.feed,
    close: async () => {
      await mode.stop();
      closeStream();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
