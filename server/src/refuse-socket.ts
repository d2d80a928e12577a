import type { Duplex } from 'node:stream';
import { buildRefusal } from './build-refusal.ts';
import { closeInStages } from './close-in-stages.ts';

/**
 * Answers on the raw socket (a refused upgrade, a request Node's parser rejected, CONNECT) and
 * closes it in stages, so the kernel's reset for unread bytes cannot destroy the answer before the
 * client reads it. Only the first refusal (or close) of a socket is written: the parser reports an
 * error again for every chunk after the first.
 */
export function refuseSocket(socket: Duplex, status: number, error: string): void {
  closeInStages(socket, buildRefusal(status, error));
}
