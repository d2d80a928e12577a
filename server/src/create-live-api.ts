import express from 'express';
import type { Request, Response, Router } from 'express';
import type { Snapshot } from '@proclens/shared';
import { createRateLimit } from './create-rate-limit.ts';
import { answerAt, answerRecordedProcess, readAtParam } from './answer-history.ts';
import type { HistorySource } from './answer-history.ts';
import type { LiveDetails } from './read-live-details.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';
import type { BucketRate } from './take-token.ts';

export { findContainer } from './read-live-details.ts';

/** Linux's largest possible pid (`PID_MAX_LIMIT` on 64-bit). */
const PID_MAX_LIMIT = 4_194_304;
/**
 * Detail requests each client may make: the pane refreshes every 2 s and a presenter paging
 * through processes asks a few a second; a script asking 417 a second once pinned the server.
 */
export const DETAIL_RATE: BucketRate = { capacity: 60, perSecond: 20 };

export interface LiveApiOptions {
  feed: SnapshotFeed;
  details: LiveDetails;
  /** The last minutes kept for rewinding (`?at=`), or null with `--rewind 0`. */
  history: HistorySource | null;
}

/** `pid` from a URL segment: decimal, 1 to PID_MAX_LIMIT, or null. */
export function parsePidParam(raw: string): number | null {
  if (!/^[1-9]\d{0,6}$/.test(raw)) return null;
  const pid = Number(raw);
  return pid <= PID_MAX_LIMIT ? pid : null;
}

/** The live host's read-only API: the snapshot, containers and their configuration, one process in detail. */
export function createLiveApi(options: LiveApiOptions): Router {
  const router = express.Router();
  const current = (): Snapshot => options.feed.current();
  const limit = createRateLimit(DETAIL_RATE, 'detail requests');

  // `/api/snapshot` is the host now, wherever a presenter has scrubbed the dashboard to. The
  // current one is serialised once: on a busy host it is megabytes, and scripts poll it.
  let serialised: { snapshot: Snapshot; json: string } | null = null;
  router.get('/snapshot', (req, res) => {
    const at = readAtParam(req);
    if (at === undefined) {
      const snapshot = current();
      if (serialised?.snapshot !== snapshot) serialised = { snapshot, json: JSON.stringify(snapshot) };
      return void res.type('json').send(serialised.json);
    }
    const snapshot = answerAt(res, options.history, at);
    if (snapshot) res.json(snapshot);
  });
  router.get('/containers', (_req, res) => void res.json(current().containers));

  router.get('/processes/:pid', limit, async (req: Request, res: Response) => {
    const raw = String(req.params.pid ?? '');
    const pid = parsePidParam(raw);
    if (pid === null) return void res.status(400).json({ error: 'pid must be a decimal number from 1 to 4194304', pid: raw });
    const at = readAtParam(req);
    if (at !== undefined) {
      // The dashboard rewound: the process as it was then, from the row kept.
      const then = answerAt(res, options.history, at);
      return void (then && answerRecordedProcess(res, then, pid));
    }
    const reply = await options.details.readProcess(pid);
    res.status(reply.status).json(reply.body);
  });

  router.get('/containers/:ref', limit, async (req: Request, res: Response) => {
    const reply = await options.details.readContainer(String(req.params.ref ?? ''));
    res.status(reply.status).json(reply.body);
  });
  return router;
}
