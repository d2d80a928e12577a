import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import type { Router } from 'express';
import { RecordingError, buildContainerdEndpoints } from '@proclens/shared';
import type { ParsedRecording } from '@proclens/shared';
import { createAccess, generateToken } from './access.ts';
import type { Access } from './access.ts';
import { answerClientError } from './answer-client-error.ts';
import { buildBannerUrls, rankAddresses } from './build-banner.ts';
import type { BannerUrl } from './build-banner.ts';
import type { ContainerEngine } from './container-engine.ts';
import { createApp } from './create-app.ts';
import { ContainerdWatcher } from './containerd-watcher.ts';
import { createLiveApi } from './create-live-api.ts';
import { createLiveRewind } from './create-live-rewind.ts';
import { createReplayApi } from './create-replay-api.ts';
import { DockerWatcher } from './docker-watcher.ts';
import { isSocket } from './is-socket.ts';
import type { Logger } from './logger.ts';
import type { Settings } from './parse-cli.ts';
import { Player } from './player.ts';
import { DEFAULT_PODMAN_SOCKET, parsePodmanHost } from './podman-endpoint.ts';
import { ProcScanner } from './proc-scanner.ts';
import { ProcessMonitor } from './process-monitor.ts';
import { readHostConstants } from './read-host-constants.ts';
import { parseDockerEndpoint } from './docker-endpoint.ts';
import { readDockerEndpoint } from './read-docker-endpoint.ts';
import { createLiveDetails } from './read-live-details.ts';
import type { LiveDetails } from './read-live-details.ts';
import { readProcDir } from './read-proc-file.ts';
import { readRecording } from './read-recording.ts';
import { readVersion } from './read-version.ts';
import { startRecording } from './recording-writer.ts';
import type { Recording } from './recording-writer.ts';
import { closeAnswersInStages } from './close-in-stages.ts';
import { refuseSocket } from './refuse-socket.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';
import { attachSnapshotStream } from './snapshot-stream.ts';
import type { SessionInfo } from './stream-clients.ts';

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
  /** What the stream tells each page it is looking at (a hub and a live host are both live). */
  kind?: 'live' | 'replay' | 'hub';
  api: Router;
  /** The feed a `/ws` request is for; the hub picks one per host. */
  feedFor(query: URLSearchParams): SnapshotFeed | null;
  /** The feed `/api/snapshot` and the first client see (for tests and the banner). */
  feed: SnapshotFeed;
  /** The rewind or replay player, when there is one. */
  player?: Player | null;
  start(): void;
  stop(): Promise<void> | void;
}

/** The live host: the /proc scanner, every engine, and the monitor joining them. */
export function createLiveMode(settings: Settings, log: Logger): Mode & { details: LiveDetails } {
  const probe = readProcDir(settings.procRoot);
  if (!probe.ok) throw new Error(`cannot read ${settings.procRoot}: ${probe.message}`);
  const constants = readHostConstants(settings.procRoot);
  const tickSoon = () => monitor.tickSoon();
  // Docker first, then Podman's Docker-compatible API, then containerd's own: the first to list a
  // container owns it. containerd is asked on the sockets the shims name (fed from each snapshot).
  const podmanHost = parsePodmanHost(settings.podmanHost, isSocket(DEFAULT_PODMAN_SOCKET));
  const containerd = new ContainerdWatcher(settings.procRoot, tickSoon, log);
  const engines: ContainerEngine[] = [
    new DockerWatcher(readDockerEndpoint(settings.dockerHost), tickSoon, log),
    ...(podmanHost ? [new DockerWatcher(parseDockerEndpoint(podmanHost, null, '--podman-host'), tickSoon, log, 'podman')] : []),
    containerd,
  ];
  const host = { hostname: os.hostname(), kernel: os.release(), cpus: os.cpus().length };
  const refreshBudgetMs = (settings.intervalMs * settings.cpuBudget) / 100;
  const scanner = new ProcScanner(settings.procRoot, constants, { refreshBudgetMs });
  log.info('scanning', { procRoot: settings.procRoot, intervalMs: settings.intervalMs, cpuBudget: settings.cpuBudget, refreshBudgetMs });
  const monitor = new ProcessMonitor(scanner, engines, settings.procRoot, { ...host, bootTime: constants.bootTime }, settings.intervalMs, log);
  monitor.subscribe((next) => containerd.watch(buildContainerdEndpoints(next.processes)));
  const rewind = settings.rewindMinutes > 0 ? createLiveRewind(monitor, settings.rewindMinutes) : null;
  // Opened now, so a path that cannot be written stops the start rather than the recording.
  let recording: Recording | null = null;
  const record = (): void => {
    if (!settings.record) return;
    recording = startRecording({
      file: settings.record,
      feed: monitor,
      header: { recorder: `proclens ${readVersion()}`, host: { ...host, bootTime: constants.bootTime }, intervalMs: settings.intervalMs },
      log,
    });
  };
  // The same answers, secrets masked the same way, for the HTTP API and for an agent's hub.
  const details = createLiveDetails({
    feed: monitor,
    procRoot: settings.procRoot,
    revealSecrets: settings.revealSecrets,
    readProcess: (pid) => scanner.readOne(pid),
    inspectContainer: (container) => engines.find((e) => e.kind === container.engine)?.inspect(container.id) ?? Promise.resolve(null),
  });
  record();
  return {
    kind: 'live',
    api: createLiveApi({ feed: monitor, details, history: rewind?.player ?? null }),
    details,
    feed: monitor,
    player: rewind?.player ?? null,
    feedFor: () => rewind?.player ?? monitor,
    start: () => {
      monitor.start();
      for (const engine of engines) engine.start();
    },
    stop: async () => {
      monitor.stop();
      rewind?.stop();
      for (const engine of engines) engine.stop();
      await recording?.stop();
    },
  };
}

/** A recording played back: no /proc, no engine, no root; the file is read and checked whole first. */
export async function createReplayMode(file: string): Promise<Mode> {
  let recording: ParsedRecording;
  try {
    recording = await readRecording(file);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(err instanceof RecordingError ? `cannot replay ${file}: ${why}` : `cannot read the recording ${file}: ${why}`, { cause: err });
  }
  const { header, history } = recording;
  const player = new Player(history);
  const api = createReplayApi({ player, header, file: path.basename(file) });
  return {
    kind: 'replay',
    api,
    feed: player,
    player,
    feedFor: () => player,
    start: () => undefined,
    stop: () => player.stop(),
  };
}

/** The addresses other machines can reach this one at (for `--share` and `--host 0.0.0.0`), most likely first. */
function readInterfaceAddresses(): string[] {
  const found = Object.entries(os.networkInterfaces()).flatMap(([name, list]) =>
    (list ?? []).filter((a) => !a.internal && a.family === 'IPv4').map((a) => ({ name, address: a.address })),
  );
  return rankAddresses(found);
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
  // A repeated header is joined, not dropped: two Host headers then fail the Host check (RFC 9112
  // §3.2 demands 400) instead of the first one silently winning.
  const server = createServer({ joinDuplicateHeaders: true, requireHostHeader: false }, app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket, log));
  closeAnswersInStages(server);
  // Without a listener Node drops CONNECT requests without a word.
  server.on('connect', (_req, socket: Duplex) => refuseSocket(socket, 405, 'this dashboard is not a proxy: CONNECT is not accepted'));
  // Slow or half-open clients must not hold sockets open for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // The audience address is known once listening; connections read it when they arrive.
  const session: SessionInfo = { share: settings.share, mode: mode.kind === 'replay' ? 'replay' : 'live', audienceUrl: null };
  const closeStream = attachSnapshotStream(server, { access, feedFor: (target) => mode.feedFor(target.query), session, log });
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
  const urls = buildBannerUrls(settings.host, port, access.presenterToken, readInterfaceAddresses(), access.audienceToken);
  session.audienceUrl = urls.find((u) => u.label === 'audience')?.url ?? null;
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
