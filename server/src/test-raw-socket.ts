import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * Byte-level HTTP and WebSocket for the attack tests: requests are written exactly as given
 * (no client library normalises them) and answers are parsed from the bytes the server wrote.
 */

export interface Exchange {
  /** Every byte the server wrote. */
  data: Buffer;
  /** Whether the server closed the connection (or reset it) before the deadline. */
  closed: boolean;
  /** A reset rather than a close: the server dropped the connection without a word. */
  reset: boolean;
  /** The client stopped reading at `maxBytes` (a whole snapshot of a busy host is megabytes). */
  truncated: boolean;
}

/** How long a client that waits for its answer before half-closing waits at most. */
const ANSWER_WAIT_MS = 1500;

/**
 * Opens a TCP connection to 127.0.0.1, writes each chunk, and collects what comes back until the
 * server closes or `timeoutMs` passes. `halfClose`: 'now' sends FIN right after the bytes (the
 * server must answer what it has); 'after-answer' once a whole answer arrived (or ANSWER_WAIT_MS
 * passed), because Node drops the answer to a request still in progress when its client
 * half-closes; false never (the server must close by itself).
 */
export function exchangeRaw(
  port: number,
  chunks: readonly Buffer[],
  options: { halfClose?: 'now' | 'after-answer' | false; timeoutMs?: number; maxBytes?: number } = {},
): Promise<Exchange> {
  const { halfClose = 'now', timeoutMs = 10_000, maxBytes = Infinity } = options;
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let received = 0;
    let reset = false;
    let truncated = false;
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => finish(false), timeoutMs);
    let waiting: ReturnType<typeof setTimeout> | undefined;
    function finish(closed: boolean): void {
      clearTimeout(timer);
      clearTimeout(waiting);
      socket.destroy();
      resolve({ data: Buffer.concat(parts), closed, reset, truncated });
    }
    const answered = (): boolean => {
      try {
        return parseHttpResponses(Buffer.concat(parts)).responses.length > 0;
      } catch {
        return false;
      }
    };
    socket.on('data', (c: Buffer) => {
      parts.push(c);
      received += c.length;
      if (received >= maxBytes) {
        truncated = true;
        return finish(true);
      }
      if (halfClose === 'after-answer' && !socket.writableEnded && answered()) socket.end();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may close while we still write (it answered before reading everything).
      if (err.code === 'ECONNRESET') reset = true;
    });
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (halfClose === 'now') socket.end();
      if (halfClose === 'after-answer') waiting = setTimeout(() => socket.end(), ANSWER_WAIT_MS);
    });
  });
}

export interface RawHttpResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

/**
 * The HTTP responses at the start of `data` (several when requests were pipelined), and the
 * bytes after the last one (WebSocket frames after a 101). Throws on anything that is not
 * well-formed HTTP/1.1: the server must never write that.
 */
export function parseHttpResponses(data: Buffer, options: { head?: boolean; truncated?: boolean } = {}): { responses: RawHttpResponse[]; rest: Buffer } {
  const responses: RawHttpResponse[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) {
      if (options.truncated) break;
      throw new Error(`truncated response head: ${JSON.stringify(data.subarray(at, at + 200).toString('latin1'))}`);
    }
    const lines = data.subarray(at, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*$/.exec(lines[0] ?? '');
    if (!status) throw new Error(`malformed status line: ${JSON.stringify(lines[0])}`);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line)}`);
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    at = end + 4;
    const code = Number(status[1]);
    if (code === 101) {
      responses.push({ status: code, headers, body: Buffer.alloc(0) });
      return { responses, rest: data.subarray(at) };
    }
    let body: Buffer;
    // A HEAD answer has no body, unless the request was refused before its method was understood.
    const bodiless = options.head && (at === data.length || data.subarray(at, at + 7).toString('latin1') === 'HTTP/1.');
    if (bodiless || code === 204 || code === 304) body = Buffer.alloc(0);
    else if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
      const chunks: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf('\r\n', at);
        if (lineEnd < 0 && options.truncated) break;
        if (lineEnd < 0) throw new Error('truncated chunked body');
        const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
        if (!Number.isFinite(size)) throw new Error('malformed chunk size');
        at = lineEnd + 2;
        if (size === 0) {
          at += 2;
          break;
        }
        chunks.push(data.subarray(at, at + size));
        at += size + 2;
      }
      body = Buffer.concat(chunks);
    } else if (headers.has('content-length')) {
      const length = Number(headers.get('content-length'));
      if (data.length < at + length && !options.truncated) throw new Error(`body shorter than Content-Length ${length}`);
      body = data.subarray(at, at + length);
      at += length;
    } else {
      body = data.subarray(at);
      at = data.length;
    }
    responses.push({ status: code, headers, body });
  }
  return { responses, rest: Buffer.alloc(0) };
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Server-to-client frames (unmasked, RFC 6455 §5.2); a partial last frame is left out. Throws on a masked or reserved-bit frame. */
export function parseServerFrames(data: Buffer): Frame[] {
  const frames: Frame[] = [];
  let at = 0;
  while (at + 2 <= data.length) {
    const first = data[at] ?? 0;
    const second = data[at + 1] ?? 0;
    if (first & 0x70) throw new Error('server frame with reserved bits');
    if (second & 0x80) throw new Error('server frame is masked');
    let length = second & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (offset + 2 > data.length) break;
      length = data.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > data.length) break;
      length = Number(data.readBigUInt64BE(offset));
      offset += 8;
    }
    if (offset + length > data.length) break;
    frames.push({ fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload: data.subarray(offset, offset + length) });
    at = offset + length;
  }
  return frames;
}

/** A client frame: masked unless told otherwise, as RFC 6455 requires of clients. */
export function buildClientFrame(
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; rsv?: number; mask?: boolean; declaredLength?: number } = {},
): Buffer {
  const { fin = true, rsv = 0, mask = true } = options;
  const length = options.declaredLength ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload.map((b, i) => b ^ (key[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/** The close code of a close frame, or null for one without a body. */
export function readCloseCode(frame: Frame): number | null {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;
}

export interface RawWebSocket {
  socket: Socket;
  /** Bytes received after the 101, while reading. */
  received(): Buffer;
  /** Stop reading: the kernel's buffers fill, then the server's. */
  stall(): void;
  /** Read again (everything the server queued arrives). */
  resume(): void;
  send(frame: Buffer): boolean;
  closed: Promise<void>;
}

/** A WebSocket over a plain TCP connection, so a test can stop reading it as an attacker would. */
export function openRawWebSocket(port: number, token: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = Buffer.alloc(0);
    const parts: Buffer[] = [];
    let upgraded = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) return void parts.push(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!head.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(head.toString('latin1').slice(0, 200)));
      upgraded = true;
      parts.push(head.subarray(end + 4));
      resolve({
        socket,
        received: () => Buffer.concat(parts),
        stall: () => socket.pause(),
        resume: () => socket.resume(),
        send: (frame) => socket.write(frame),
        closed,
      });
    });
    socket.once('close', () => reject(new Error('closed before the upgrade')));
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}
