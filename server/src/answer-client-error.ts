import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from './logger.ts';
import { refuseSocket } from './refuse-socket.ts';

/** What a request that Node's HTTP parser refused is told, by the parser's error code. */
function describe(code: string | undefined): { status: number; error: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, error: 'the request line and headers together must stay under 16 KiB' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, error: 'the request took too long to arrive' };
    default:
      return { status: 400, error: `malformed HTTP request${code ? ` (${code})` : ''}` };
  }
}

/**
 * The server's `clientError` handler. Node's own answers a malformed request with a bare
 * `400 Bad Request` and no body, and cuts short the answer to an earlier request on the same
 * connection (garbage pipelined after a good request); this one lets that answer finish, then
 * says what was wrong, as every other refusal does.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, log: Logger): void {
  if (err.code === 'ECONNRESET') return void socket.destroy();
  const { status, error } = describe(err.code);
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  log.debug('malformed request', { code: err.code });
  if (inFlight && !inFlight.writableFinished) inFlight.once('finish', () => refuseSocket(socket, status, error));
  else refuseSocket(socket, status, error);
}
