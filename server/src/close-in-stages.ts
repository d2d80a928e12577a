import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** How long a closing connection's remaining bytes are read and dropped once its answer is flushed. */
const LINGER_MS = 2000;
/** The longest a connection is kept once the server is done with it: a client that never reads cannot hold it for ever. */
const MAX_CLOSING_MS = 60_000;

const closing = new WeakSet<Duplex>();

/**
 * Closes a connection in stages, as RFC 9112 §9.6 asks: `last` (if any) and a FIN are sent, what
 * the client still sends is read and dropped, and the socket goes once the client closes too, or
 * LINGER_MS after the answer is flushed. Closing at once with unread bytes makes the kernel send a
 * reset, which throws away whatever part of the answer the client has not read yet (a client that
 * pipelines bytes after `Connection: close` lost most of a 400 KB snapshot that way). Only the first
 * call for a socket counts; returns false for the others.
 */
export function closeInStages(socket: Duplex, last?: string): boolean {
  if (closing.has(socket)) return false;
  closing.add(socket);
  const destroy = (): void => void socket.destroy();
  const whenFlushed = (then: () => void): void => void (socket.writableFinished ? then() : socket.once('finish', then));
  socket.on('error', destroy);
  socket.once('end', () => whenFlushed(destroy));
  whenFlushed(() => setTimeout(destroy, LINGER_MS).unref());
  setTimeout(destroy, MAX_CLOSING_MS).unref();
  // Not writable: already ending (Node after an earlier answer); only the lingering is left.
  if (socket.writable) {
    if (last === undefined) socket.end();
    else socket.end(last);
  }
  socket.resume();
  return true;
}

/**
 * Node ends a connection after the answer to `Connection: close` (or HTTP/1.0) with `destroySoon`,
 * which closes the socket as soon as the answer is handed to the kernel: bytes the client sent
 * meanwhile then make the kernel reset the connection and drop the rest of the answer. This
 * server's connections close in stages instead.
 */
export function closeAnswersInStages(server: Server): void {
  server.on('connection', (socket: Socket) => void (socket.destroySoon = () => void closeInStages(socket)));
}
