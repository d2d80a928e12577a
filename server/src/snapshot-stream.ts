import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { MAX_CLIENT_FRAME_BYTES } from '@proclens/shared';
import type { Access } from './access.ts';
import type { Logger } from './logger.ts';
import { parseRequestTarget } from './parse-request-parts.ts';
import { refuseSocket } from './refuse-socket.ts';
import type { RequestTarget } from './parse-request-parts.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';
import { StreamClients } from './stream-clients.ts';
import type { SessionInfo } from './stream-clients.ts';

/** How long a closed client may take to read its close frame before its connection goes. */
const CLOSE_GRACE_MS = 2000;
/** How long clients have to answer the close frame when the server shuts down. */
const SHUTDOWN_GRACE_MS = 300;

export interface StreamOptions {
  access: Access;
  /** The feed a `/ws` request asks for (the hub serves one per host), or null for 404. */
  feedFor(target: RequestTarget): SnapshotFeed | null;
  /** What each connection is told after its first snapshot (sharing, live or replay). */
  session?: SessionInfo;
  log: Logger;
}

/**
 * Serves `/ws` on an HTTP server: admission through the one access check, then each feed's
 * clients (see `StreamClients`). Returns the function that closes every connection.
 */
export function attachSnapshotStream(server: Server, options: StreamOptions): () => void {
  const { log } = options;
  // No automatic pong: StreamClients answers pings within the client's frame rate and closes a
  // flooding client with 1008, where ws would answer each and then drop it without a close frame.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, autoPong: false });
  const groups = new Map<SnapshotFeed, StreamClients>();
  // A handshake ws refuses (wrong method, key, version, extensions) is answered like every other
  // refusal: ws's own answer closes at once, and the reset for the unread bytes can beat it.
  wss.on('wsClientError', (err: Error, socket: Duplex) => refuseSocket(socket, err.message === 'Invalid HTTP method' ? 405 : 400, err.message));

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Nothing in here may throw: an exception in an upgrade handler would end the process.
    try {
      socket.on('error', (err) => log.debug('upgrade socket error', { error: err.message }));
      const target = parseRequestTarget(request.url);
      const admission = options.access.admit(request.headers, { websocket: true });
      if (!admission.ok) {
        log.warn('websocket refused', { status: admission.status, error: admission.error });
        return refuseSocket(socket, admission.status, admission.error);
      }
      const feed = target.path === '/ws' ? options.feedFor(target) : null;
      if (!feed) return refuseSocket(socket, 404, 'no such stream');
      wss.handleUpgrade(request, socket, head, (ws) => connect(ws, feed, admission.role));
    } catch (err) {
      log.error('upgrade failed', { error: err instanceof Error ? err.message : String(err) });
      refuseSocket(socket, 400, 'bad upgrade request');
    }
  };
  server.on('upgrade', onUpgrade);

  function connect(ws: WebSocket, feed: SnapshotFeed, role: 'presenter' | 'audience'): void {
    let clients = groups.get(feed);
    if (!clients) {
      clients = new StreamClients({ feed, log, session: options.session });
      groups.set(feed, clients);
    }
    log.debug('websocket connected', { role, clients: clients.size + 1 });
    const handlers = clients.connect(
      {
        send: (text) => ws.send(text),
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
        isOpen: () => ws.readyState === ws.OPEN,
        close: (code, reason) => {
          ws.close(code, reason);
          // An expelled client's frames are no longer read: a flood would otherwise go on costing
          // CPU through the close handshake. It has a moment to read the close frame. Any other
          // close (1001 at shutdown) reads the client's answer, which ends the connection at once.
          if (code === 1008) ws.pause();
          setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        },
        ping: () => ws.ping(),
        pong: (data) => ws.pong(data),
        terminate: () => ws.terminate(),
      },
      role,
    );
    ws.on('message', (data, isBinary) => handlers.message(isBinary ? null : rawText(data)));
    ws.on('ping', (data) => handlers.ping(data));
    ws.on('pong', () => handlers.pong());
    ws.on('error', (err) => log.debug('websocket error', { error: err.message }));
    ws.on('close', () => {
      handlers.closed();
      log.debug('websocket closed', { role });
    });
  }

  return () => {
    server.off('upgrade', onUpgrade);
    for (const clients of groups.values()) clients.close();
    groups.clear();
    wss.close();
    // Shutting down: a client that has not answered its close frame soon is cut off, so the
    // process ends well within its deadline (main.ts) and exits 0.
    setTimeout(() => {
      for (const ws of wss.clients) ws.terminate();
    }, SHUTDOWN_GRACE_MS).unref();
  };
}

/** A text frame's payload: ws hands over a Buffer, or fragments as an array of them. */
function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
