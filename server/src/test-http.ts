import { request } from 'node:http';
import { WebSocket } from 'ws';
import { parseServerMessage } from '@proclens/shared';
import type { ServerMessage } from '@proclens/shared';

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw HTTP request with the path sent byte for byte and any headers (fetch normalises paths and drops Host). */
export function rawRequest(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface OpenSocket {
  socket: WebSocket;
  messages: ServerMessage[];
  closed: Promise<number>;
}

/** Opens a WebSocket; resolves with the socket once open, or the HTTP status it was refused with. */
export function openSocket(
  base: string,
  options: { origin?: string; headers?: Record<string, string>; path?: string } = {},
): Promise<OpenSocket | { refused: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}${options.path ?? '/ws'}`, { origin: options.origin, headers: options.headers });
    const messages: ServerMessage[] = [];
    socket.on('message', (data) => {
      const parsed = parseServerMessage((data as Buffer).toString('utf8'));
      if (parsed.ok) messages.push(parsed.value);
    });
    const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)));
    socket.once('open', () => resolve({ socket, messages, closed }));
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ refused: -1 }));
  });
}

/** Polls until `check` holds; fails after `ms` (generous: the machine is shared). */
export async function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
