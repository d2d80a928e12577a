import express from 'express';
import type { Request, Response, Router } from 'express';
import type { NatsConnection } from 'nats';
import { HOST_NAME, buildHostSummaries, buildRpcSubject, containerDetailSchema, hostReplySchema, processDetailSchema, searchHosts } from '@proclens/shared';
import type { HostRequest, HubStatus } from '@proclens/shared';
import type { z } from 'zod';
import { DETAIL_RATE, parsePidParam } from '../create-live-api.ts';
import { createRateLimit } from '../create-rate-limit.ts';
import { parseRequestTarget } from '../parse-request-parts.ts';
import { decodePayload } from './encode-payload.ts';
import type { HostWatcher } from './watch-hosts.ts';

/** The detail pane refreshes every 2 s; an agent slower than this is reported, not waited for. */
const RPC_TIMEOUT_MS = 3000;
const MAX_QUERY_LENGTH = 128;
/** The statuses an agent answers with besides 200 (see serve-host-rpc.ts). */
const AGENT_ERRORS = new Set([400, 404, 413, 500]);

export interface HubApiOptions {
  watcher: HostWatcher;
  nc: NatsConnection;
  status(): HubStatus;
  now?: () => number;
}

/**
 * The hub's read-only API: every host's row, search across hosts, and per host what the
 * single-host API serves (`/api/hosts/NAME/snapshot` is `/api/snapshot` of that host). Process and
 * container detail is asked of the host's agent over NATS, which masks secrets before answering.
 */
export function createHubApi(options: HubApiOptions): Router {
  const router = express.Router();
  const now = options.now ?? Date.now;
  const { watcher } = options;
  // Each detail request becomes a request to an agent: limited per client as on a single host.
  const limit = createRateLimit(DETAIL_RATE, 'detail requests');

  router.get('/hub', (_req, res) => void res.json(options.status()));
  router.get('/hosts', (_req, res) => void res.json(buildHostSummaries(watcher.list(), now())));
  router.get('/hosts/search', (req: Request, res: Response) => {
    const q = parseRequestTarget(req.url).query.get('q') ?? '';
    if (q.length > MAX_QUERY_LENGTH) return void res.status(400).json({ error: `the query is longer than ${MAX_QUERY_LENGTH} characters` });
    res.json(searchHosts(watcher.list(), q));
  });

  /** The host named in the path, or an answer saying why not. */
  const hostOf = (req: Request, res: Response): string | null => {
    const name = String(req.params.name ?? '');
    if (!HOST_NAME.test(name)) {
      res.status(400).json({ error: 'a host name is 1 to 63 letters, digits, "_" or "-"' });
      return null;
    }
    if (!watcher.entry(name)) {
      res.status(404).json({ error: 'no such host', host: name });
      return null;
    }
    return name;
  };

  router.get('/hosts/:name/snapshot', (req: Request, res: Response) => {
    const name = hostOf(req, res);
    if (name === null) return;
    const snapshot = watcher.entry(name)?.snapshot;
    if (!snapshot) return void res.status(503).json({ error: 'no snapshot from this host yet', host: name });
    res.json(snapshot);
  });

  router.get('/hosts/:name/containers', (req: Request, res: Response) => {
    const name = hostOf(req, res);
    if (name !== null) res.json(watcher.entry(name)?.snapshot?.containers ?? []);
  });

  router.get('/hosts/:name/processes/:pid', limit, async (req: Request, res: Response) => {
    const name = hostOf(req, res);
    if (name === null) return;
    const raw = String(req.params.pid ?? '');
    const pid = parsePidParam(raw);
    if (pid === null) return void res.status(400).json({ error: 'pid must be a decimal number from 1 to 4194304', pid: raw });
    await ask(res, name, { type: 'process', pid }, processDetailSchema);
  });

  router.get('/hosts/:name/containers/:ref', limit, async (req: Request, res: Response) => {
    const name = hostOf(req, res);
    if (name === null) return;
    const ref = String(req.params.ref ?? '');
    if (!/^[\w.-]{1,128}$/.test(ref)) return void res.status(404).json({ error: 'no such container', ref });
    await ask(res, name, { type: 'container', ref }, containerDetailSchema);
  });

  /** Asks the host's agent; its answer is checked against the same schema the browser uses before it is passed on. */
  async function ask(res: Response, host: string, request: HostRequest, schema: z.ZodTypeAny): Promise<void> {
    let data: Uint8Array;
    try {
      const msg = await options.nc.request(buildRpcSubject(host), new TextEncoder().encode(JSON.stringify(request)), { timeout: RPC_TIMEOUT_MS });
      data = msg.data;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === '503') return void res.status(503).json({ error: 'the agent of this host is not connected to NATS', host });
      return void res.status(504).json({ error: 'the agent of this host did not answer in time', host });
    }
    let reply;
    try {
      reply = hostReplySchema.safeParse(JSON.parse(decodePayload(data)));
    } catch {
      reply = null;
    }
    if (!reply?.success) return void res.status(502).json({ error: 'the agent sent an unreadable answer', host });
    const { status, body } = reply.data;
    if (status === 200) {
      const detail = schema.safeParse(body);
      return void (detail.success ? res.json(detail.data) : res.status(502).json({ error: 'the agent sent an unexpected answer', host }));
    }
    // Errors are passed on as a status the API uses and a short sentence, nothing else of the agent's.
    const error = (body as { error?: unknown } | null)?.error;
    if (!AGENT_ERRORS.has(status) || typeof error !== 'string') return void res.status(502).json({ error: 'the agent sent an unexpected answer', host });
    res.status(status).json({ error: error.slice(0, 200), host });
  }
  return router;
}
