import os from 'node:os';
import { buildHostName } from '@proclens/shared';
import type { Logger } from '../logger.ts';
import type { Settings } from '../parse-cli.ts';
import { createLiveMode, startServer } from '../start-server.ts';
import type { RunningServer } from '../start-server.ts';
import { connectNats } from './connect-nats.ts';
import { openHostStreams } from './ensure-streams.ts';
import { HostPublisher } from './publish-host.ts';
import { serveHostRpc } from './serve-host-rpc.ts';

export interface RunningAgent {
  /** The host's name at the hub. */
  name: string;
  /** The NATS server, without credentials. */
  nats: string;
  publisher: HostPublisher;
  /** This host's own dashboard, only with `--port`. */
  server: RunningServer | null;
  close(): Promise<void>;
}

/**
 * `proclens agent`: the live scanner and engines, as `proclens serve` runs them, published to
 * NATS JetStream for a hub. No HTTP port unless `--port` asks for this host's own dashboard too.
 */
export async function startAgent(settings: Settings, webRoot: string, log: Logger): Promise<RunningAgent> {
  const name = settings.name ?? buildHostName(os.hostname());
  const { nc, display } = await connectNats(settings, `proclens agent ${name}`);
  let publisher: HostPublisher | null = null;
  let server: RunningServer | null = null;
  try {
    await openHostStreams(nc, display, log);
    const mode = createLiveMode(settings, log);
    publisher = new HostPublisher({ nc, js: nc.jetstream(), name, feed: mode.feed, log });
    const rpc = serveHostRpc({ nc, name, details: mode.details, requestSnapshot: () => publisher?.requestSnapshot() ?? false, log });
    // Subscribed before the first tick, so the first snapshot is published.
    publisher.start();
    if (settings.port !== null) server = await startServer(settings, webRoot, log, mode);
    else mode.start();
    const running = publisher;
    return {
      name,
      nats: display,
      publisher: running,
      server,
      close: async () => {
        running.stop();
        rpc.unsubscribe();
        if (server) await server.close();
        else await mode.stop();
        // Flush what is on its way, then leave; a NATS that is gone must not hold up shutdown.
        await Promise.race([nc.drain(), new Promise((resolve) => setTimeout(resolve, 1000))]).catch(() => undefined);
        if (!nc.isClosed()) await nc.close();
      },
    };
  } catch (err) {
    publisher?.stop();
    await nc.close();
    throw err;
  }
}
