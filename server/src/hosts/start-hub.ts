import os from 'node:os';
import { Events } from 'nats';
import type { NatsConnection } from 'nats';
import type { HubStatus, Snapshot } from '@proclens/shared';
import type { Logger } from '../logger.ts';
import type { Settings } from '../parse-cli.ts';
import type { SnapshotFeed } from '../snapshot-feed.ts';
import { startServer } from '../start-server.ts';
import type { Mode, RunningServer } from '../start-server.ts';
import { connectNats } from './connect-nats.ts';
import { createHubApi } from './create-hub-api.ts';
import { openHostStreams } from './ensure-streams.ts';
import { HostWatcher } from './watch-hosts.ts';

export interface RunningHub extends RunningServer {
  watcher: HostWatcher;
  /** The NATS server, without credentials. */
  nats: string;
}

/** The hub has no host of its own: `/ws` without `?host=` and `/api/snapshot` find nothing. */
function emptyFeed(): SnapshotFeed {
  const snapshot: Snapshot = {
    processes: [],
    containers: [],
    host: { hostname: os.hostname(), kernel: os.release(), cpus: 0, bootTime: 0, engines: [] },
    takenAt: Date.now(),
  };
  return { current: () => snapshot, subscribe: () => () => undefined };
}

/** The hub as a `Mode` of the one server: the same access checks, `/ws?host=NAME` per host. */
export function createHubMode(nc: NatsConnection, display: string, log: Logger): Mode & { watcher: HostWatcher } {
  const watcher = new HostWatcher(nc, nc.jetstream(), log);
  const status: HubStatus = { nats: { state: 'connected', server: display, error: null } };
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) {
        status.nats = { state: 'reconnecting', server: display, error: 'connection lost' };
        log.warn('NATS connection lost; hosts show their last state until it is back', { server: display });
      } else if (s.type === Events.Reconnect) {
        status.nats = { state: 'connected', server: display, error: null };
        log.info('NATS connection back', { server: display });
      } else if (s.type === Events.Error) {
        status.nats = { ...status.nats, error: typeof s.data === 'string' ? s.data : 'NATS reported an error' };
      }
    }
    status.nats = { state: 'closed', server: display, error: status.nats.error };
  })();
  return {
    api: createHubApi({ watcher, nc, status: () => status }),
    feed: emptyFeed(),
    feedFor: (query) => watcher.feed(query.get('host') ?? ''),
    watcher,
    start: () => undefined,
    stop: () => watcher.stop(),
  };
}

/** `proclens hub`: one dashboard over every host an agent publishes to NATS. */
export async function startHub(settings: Settings, webRoot: string, log: Logger): Promise<RunningHub> {
  const { nc, display } = await connectNats(settings, `proclens hub ${os.hostname()}`);
  try {
    await openHostStreams(nc, display, log);
    const mode = createHubMode(nc, display, log);
    // Reading starts before the port opens, so the first page already lists every stored host.
    await mode.watcher.start();
    const server = await startServer(settings, webRoot, log, mode);
    return {
      ...server,
      watcher: mode.watcher,
      nats: display,
      close: async () => {
        await server.close();
        await nc.close();
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
