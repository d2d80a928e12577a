import type { Msg, NatsConnection, Subscription } from 'nats';
import { buildRpcSubject, hostRequestSchema } from '@proclens/shared';
import type { HostReply, HostRequest } from '@proclens/shared';
import type { Logger } from '../logger.ts';
import type { LiveDetails } from '../read-live-details.ts';
import { encodePayload } from './encode-payload.ts';

/** A request is a few dozen bytes of plain JSON; anything much larger is not one. */
const MAX_REQUEST_BYTES = 4096;

export interface RpcOptions {
  nc: NatsConnection;
  name: string;
  details: LiveDetails;
  /** `resync`: publish a snapshot soon; false when asked too often. */
  requestSnapshot(): boolean;
  log: Logger;
}

/**
 * Answers the hub's questions about this host over NATS request/reply: the detail pane's process
 * and container, read and masked by the same code as the single-host API. Nothing a requester
 * sends can throw out of here; every request gets an answer.
 */
export function serveHostRpc(options: RpcOptions): Subscription {
  return options.nc.subscribe(buildRpcSubject(options.name), {
    callback: (err, msg) => {
      if (err) return options.log.warn('detail requests stopped', { error: err.message });
      void answer(options, msg);
    },
  });
}

async function answer(options: RpcOptions, msg: Msg): Promise<void> {
  if (!msg.reply) return;
  let reply: HostReply;
  try {
    reply = await handle(options, msg.data);
  } catch (err) {
    options.log.error('detail request failed', { error: err instanceof Error ? err.message : String(err) });
    reply = { status: 500, body: { error: 'the agent could not answer' } };
  }
  let bytes = encodePayload(JSON.stringify(reply));
  const max = options.nc.info?.max_payload ?? Infinity;
  if (bytes.length > max) bytes = encodePayload(JSON.stringify({ status: 413, body: { error: 'the answer is larger than NATS max_payload' } }));
  try {
    msg.respond(bytes);
  } catch (err) {
    options.log.debug('reply not sent', { error: err instanceof Error ? err.message : String(err) });
  }
}

async function handle(options: RpcOptions, data: Uint8Array): Promise<HostReply> {
  if (data.length > MAX_REQUEST_BYTES) return { status: 400, body: { error: 'request too large' } };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'request is not JSON' } };
  }
  const parsed = hostRequestSchema.safeParse(json);
  if (!parsed.success) return { status: 400, body: { error: 'not a request this agent answers' } };
  const request: HostRequest = parsed.data;
  switch (request.type) {
    case 'process':
      return options.details.readProcess(request.pid);
    case 'container':
      return options.details.readContainer(request.ref);
    case 'resync':
      return options.requestSnapshot() ? { status: 202, body: {} } : { status: 429, body: { error: 'a snapshot was sent moments ago' } };
    default:
      return assertNever(request);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled request ${JSON.stringify(value)}`);
}
