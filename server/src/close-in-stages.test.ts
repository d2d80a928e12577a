import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerClientError } from './answer-client-error.ts';
import { closeAnswersInStages } from './close-in-stages.ts';
import { createLogger } from './logger.ts';
import { parseHttpResponses } from './test-raw-socket.ts';

/** More than loopback carries before the client reads: the rest is still in the server's kernel when Node is done. */
const BODY_BYTES = 1 << 20;
const quiet = createLogger('error', () => undefined);

/**
 * A request with `Connection: close`, then more bytes as soon as the answer starts to arrive (a
 * client pipelining, or the raw-socket fuzz); resolves with the length of the body received.
 */
function fetchThenSendMore(port: number): Promise<number> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    const done = (): void => {
      const [answer] = parseHttpResponses(Buffer.concat(parts), { truncated: true }).responses;
      resolve(answer?.status === 200 ? answer.body.length : -1);
    };
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.once('data', () => socket.write('more bytes'));
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    socket.on('connect', () => socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
  });
}

describe('closeAnswersInStages', () => {
  let server: Server | undefined;
  afterEach(() => void server?.close());

  it('delivers the whole answer to a client that sends more bytes after its Connection: close request', async () => {
    const body = 'x'.repeat(BODY_BYTES);
    server = createServer((_req, res) => void res.setHeader('Content-Type', 'text/plain').end(body));
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket, quiet));
    closeAnswersInStages(server);
    const port = await listen(server);
    // Found by the raw-socket fuzz: Node closed the socket once the answer was in the kernel, the
    // kernel answered the late bytes with a reset, and the client got 128,000 bytes of a 400 KB snapshot.
    const lengths: number[] = [];
    for (let i = 0; i < 10; i++) lengths.push(await fetchThenSendMore(port));
    expect(lengths).toEqual(Array.from({ length: 10 }, () => BODY_BYTES));
  });
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
