import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { MAX_CLIENT_FRAME_BYTES, PROTOCOL_VERSION, diffSnapshots, parseClientMessage } from '@proclens/shared';
import type { ServerMessage, Snapshot } from '@proclens/shared';
import type { Logger } from './logger.ts';
import type { ProcessMonitor } from './process-monitor.ts';

/** Past this many unsent bytes a client gets no more diffs, and a fresh snapshot once it drains. */
const MAX_BUFFERED_BYTES = 1 << 20;
const HEARTBEAT_MS = 15_000;
const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

interface Client {
  socket: WebSocket;
  seq: number;
  /** Diffs were skipped: the next message must be a snapshot. */
  stale: boolean;
  alive: boolean;
}

export interface StreamOptions {
  /** Decides whether an upgrade may proceed; answers the HTTP status to refuse with, or null. */
  admit(request: IncomingMessage): number | null;
}

/**
 * Serves `/ws`: a snapshot on connect, then one diff per changed tick, numbered by `seq`. Each
 * diff is serialised once for all clients. Slow clients are bounded, not queued without end.
 */
export function attachSnapshotStream(server: Server, monitor: ProcessMonitor, options: StreamOptions, log: Logger): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  const clients = new Set<Client>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '').split('?')[0];
    const refusal = path === '/ws' ? options.admit(request) : 404;
    if (refusal !== null) {
      log.warn('websocket refused', { status: refusal, origin: request.headers.origin, host: request.headers.host });
      socket.end(`HTTP/1.1 ${refusal} ${STATUS_TEXT[refusal] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => connect(ws));
  };
  server.on('upgrade', onUpgrade);

  function send(client: Client, message: ServerMessage | string): void {
    client.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  function sendSnapshot(client: Client): void {
    client.seq++;
    client.stale = false;
    send(client, { type: 'snapshot', protocol: PROTOCOL_VERSION, seq: client.seq, snapshot: monitor.current() });
  }

  function connect(socket: WebSocket): void {
    const client: Client = { socket, seq: -1, stale: false, alive: true };
    clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('close', () => clients.delete(client));
    socket.on('error', (err) => log.debug('websocket error', { error: err.message }));
    socket.on('message', (data, isBinary) => {
      const parsed = isBinary ? { ok: false as const, error: 'binary frames are not accepted' } : parseClientMessage(rawText(data));
      if (!parsed.ok) return send(client, { type: 'error', message: parsed.error });
      switch (parsed.value.type) {
        case 'resync':
          // A client that asks again before reading the last answer gets one snapshot when it
          // drains, not one per request (100 requests once cost 250 MiB, bench:stream).
          if (client.socket.bufferedAmount > 0) return void (client.stale = true);
          return sendSnapshot(client);
        default:
          return assertNever(parsed.value.type);
      }
    });
    sendSnapshot(client);
  }

  const unsubscribe = monitor.subscribe((next: Snapshot, previous: Snapshot) => {
    if (clients.size === 0) return;
    const diff = diffSnapshots(previous, next);
    // Serialised once; only `seq` differs per client.
    const body = diff ? JSON.stringify(diff) : null;
    for (const client of clients) {
      if (client.socket.readyState !== client.socket.OPEN) continue;
      if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.stale = true;
        continue;
      }
      if (client.stale) sendSnapshot(client);
      else if (body) send(client, `{"type":"diff","seq":${++client.seq},"diff":${body}}`);
    }
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.socket.terminate();
        clients.delete(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }, HEARTBEAT_MS);

  return () => {
    clearInterval(heartbeat);
    unsubscribe();
    server.off('upgrade', onUpgrade);
    for (const client of clients) client.socket.close(1001, 'server shutting down');
    wss.close();
  };
}

/** A text frame's payload: ws hands over a Buffer, or fragments as an array of them. */
function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function assertNever(value: never): never {
  throw new Error(`unhandled message type ${String(value)}`);
}
