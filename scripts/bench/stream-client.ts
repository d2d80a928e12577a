/**
 * The clients of bench:stream: a well-behaved WebSocket client (validates every frame, applies
 * every diff, checks `seq`), a raw client that does the handshake and then never reads, and a
 * probe in a worker thread of its own. Each sends the token as `Authorization: Bearer`, as scripts
 * do (the browser trades it for a cookie instead).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { connect as connectTcp } from 'node:net';
import { Worker } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { applyDiff, parseServerMessage } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';

/** What the diffs carried, as client 0 saw them: for explaining the bytes. */
export interface DiffRecord {
  phase: string;
  bytes: number;
  births: number;
  updates: number;
  removed: number;
  host: boolean;
  containers: boolean;
  /** Changed fields of updated processes, and the names of the processes updated, by count. */
  fields: Map<string, number>;
  names: Map<string, number>;
}

/** Where a client reports what it saw: each marked process it applied, and (client 0) each diff. */
export interface ClientSink {
  markerPrefix: string;
  phase(): string;
  marker(marker: string, client: number, frameAt: number, appliedAt: number): void;
  diff(record: DiffRecord): void;
}

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A well-behaved client: validates every frame, applies every diff, checks seq, resyncs on a gap. */
export class StreamClient {
  snapshot: Snapshot | null = null;
  seq = -1;
  frames = 0;
  snapshots = 0;
  resyncs = 0;
  invalid = 0;
  /** Time spent parsing and applying, ms. */
  busyMs = 0;
  firstSnapshotAt: number | null = null;
  firstSnapshotBytes = 0;
  closed = false;
  private readonly ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(
    url: string,
    token: string,
    readonly id: number,
    private readonly sink: ClientSink,
  ) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, headers: { Authorization: `Bearer ${token}` } });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    this.ws.on('close', () => (this.closed = true));
    this.ws.on('error', () => undefined);
  }

  /** Bytes read from the TCP socket: frames, headers, pings. */
  bytesRead(): number {
    return (this.ws as unknown as { _socket?: Socket })._socket?.bytesRead ?? 0;
  }

  close(): void {
    this.ws.terminate();
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    const frameAt = performance.now();
    this.frames++;
    const parsed = isBinary ? null : parseServerMessage(data.toString('utf8'));
    if (!parsed?.ok) {
      this.invalid++;
    } else if (parsed.value.type === 'snapshot') {
      this.snapshots++;
      this.snapshot = parsed.value.snapshot;
      this.seq = parsed.value.seq;
      if (this.firstSnapshotAt === null) {
        this.firstSnapshotAt = performance.now();
        this.firstSnapshotBytes = data.length;
      }
    } else if (parsed.value.type === 'diff') {
      this.onDiff(parsed.value, data.length, frameAt);
    }
    // Other messages (errors, presence, …) are neither invalid nor part of the model.
    this.busyMs += performance.now() - frameAt;
  }

  private onDiff(message: { seq: number; diff: Parameters<typeof applyDiff>[1] }, bytes: number, frameAt: number): void {
    if (!this.snapshot || message.seq !== this.seq + 1) {
      // A gap: ask for a fresh snapshot, as the web app does.
      this.resyncs++;
      this.ws.send(JSON.stringify({ type: 'resync' }));
      return;
    }
    if (this.id === 0) this.sink.diff(describeDiff(this.snapshot, message.diff, bytes, this.sink.phase()));
    this.snapshot = applyDiff(this.snapshot, message.diff);
    this.seq = message.seq;
    const appliedAt = performance.now();
    for (const p of message.diff.upserted) {
      const marker = p.argv[1];
      if (p.name === 'sleep' && marker?.startsWith(this.sink.markerPrefix)) this.sink.marker(marker, this.id, frameAt, appliedAt);
    }
  }
}

/** Births, exits and which fields of live processes a diff changed. */
function describeDiff(before: Snapshot, diff: Parameters<typeof applyDiff>[1], bytes: number, phase: string): DiffRecord {
  const record: DiffRecord = {
    phase,
    bytes,
    births: 0,
    updates: 0,
    removed: diff.removed.length,
    host: diff.host !== null,
    containers: diff.containers !== null,
    fields: new Map(),
    names: new Map(),
  };
  for (const p of diff.upserted) {
    const was = findByPid(before.processes, p.pid);
    if (!was || was.startTime !== p.startTime) {
      record.births++;
      continue;
    }
    record.updates++;
    count(record.names, p.name);
    for (const key of Object.keys(p) as (keyof typeof p)[]) if (JSON.stringify(p[key]) !== JSON.stringify(was[key])) count(record.fields, key);
  }
  return record;
}

/** Binary search of processes sorted by pid (this runs in the clients' thread: no map of them all). */
function findByPid(processes: Snapshot['processes'], pid: number): Snapshot['processes'][number] | undefined {
  let low = 0;
  let high = processes.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const p = processes[mid] as Snapshot['processes'][number];
    if (p.pid === pid) return p;
    if (p.pid < pid) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** Does the WebSocket handshake on a raw TCP socket, then never reads again. */
export async function connectStalledClient(port: number, token: string): Promise<Socket> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Authorization: Bearer ${token}\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  return socket;
}

/** A masked client text frame (RFC 6455 §5.3), for the raw socket. */
export function buildClientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('short frames only');
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/**
 * One more client, in a worker thread with its own event loop: it JSON-parses frames that mention
 * the marker prefix and reports (marker, time) for each marked process in `upserted`, so its
 * figures are the server's latency without the other clients' parsing. Times are converted to
 * this thread's performance.now().
 */
export function startProbe(
  url: string,
  token: string,
  prefix: string,
  onSeen: (marker: string, at: number) => void,
  onError: (message: string) => void,
): Worker {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const WebSocket = require(workerData.ws);
    const ws = new WebSocket(workerData.url, { perMessageDeflate: false, headers: { Authorization: 'Bearer ' + workerData.token } });
    ws.on('message', (data) => {
      const at = performance.timeOrigin + performance.now();
      const text = data.toString();
      if (!text.includes(workerData.prefix)) return;
      const message = JSON.parse(text);
      if (message.type !== 'diff') return;
      for (const p of message.diff.upserted) {
        if (p.name === 'sleep' && typeof p.argv[1] === 'string' && p.argv[1].startsWith(workerData.prefix)) parentPort.postMessage({ marker: p.argv[1], at });
      }
    });
    ws.on('error', () => {});
  `;
  const ws = createRequire(import.meta.url).resolve('ws');
  const worker = new Worker(code, { eval: true, workerData: { url, token, prefix, ws } });
  worker.on('message', (m: { marker: string; at: number }) => onSeen(m.marker, m.at - performance.timeOrigin));
  worker.on('error', (err) => onError(err.message));
  return worker;
}
