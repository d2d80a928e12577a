import type { Duplex } from 'node:stream';
import { buildRefusal } from './build-refusal.ts';

/** How long a refused connection's remaining bytes are read and dropped before it is closed. */
const LINGER_MS = 2000;

const refused = new WeakSet<Duplex>();

/**
 * Answers on the raw socket (a refused upgrade, a request Node's parser rejected, CONNECT) and
 * closes it. Closing a socket with unread bytes makes the kernel send a reset, which can destroy
 * the answer before the client reads it; so what still comes is read and dropped until the
 * client closes or LINGER_MS pass (Apache's "lingering close"), and the socket is closed only
 * once the answer is flushed. A client that keeps the connection open after its refusal holds
 * it no longer than that. Only the first refusal of a socket is written.
 */
export function refuseSocket(socket: Duplex, status: number, error: string): void {
  // The parser reports an error again for every chunk after the first: answered already.
  if (refused.has(socket)) return;
  refused.add(socket);
  const close = (): void => void (socket.writableFinished ? socket.destroy() : socket.once('finish', () => socket.destroy()));
  socket.on('error', () => socket.destroy());
  socket.once('end', close);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  // Not writable: Node is already ending it after an earlier answer; only the lingering is left.
  if (socket.writable) socket.end(buildRefusal(status, error));
  socket.resume();
}
