import express from 'express';
import type { Request, Response, Router } from 'express';
import type { RecordingHeader, Snapshot } from '@proclens/shared';
import { answerAt, answerRecordedProcess, readAtParam } from './answer-history.ts';
import { findContainer, parsePidParam } from './create-live-api.ts';
import type { Player } from './player.ts';

export interface ReplayApiOptions {
  player: Player;
  header: RecordingHeader;
  file: string;
}

/**
 * The same read-only API as the live host's, answered from a recording: the snapshot at the
 * playhead (or at `?at=`), and each process from its recorded row. `docker inspect` and /proc are
 * live-only: a recording holds neither.
 */
export function createReplayApi(options: ReplayApiOptions): Router {
  const router = express.Router();
  const { player } = options;
  /** The moment asked for (`?at=`) or the playhead; null once the request has been answered. */
  const snapshotFor = (req: Request, res: Response): Snapshot | null => {
    const at = readAtParam(req);
    return at === undefined ? player.current() : answerAt(res, player, at);
  };

  router.get('/snapshot', (req, res) => {
    const snapshot = snapshotFor(req, res);
    if (snapshot) res.json(snapshot);
  });
  router.get('/containers', (req, res) => {
    const snapshot = snapshotFor(req, res);
    if (snapshot) res.json(snapshot.containers);
  });
  router.get('/processes/:pid', (req, res) => {
    const raw = String(req.params.pid ?? '');
    const pid = parsePidParam(raw);
    if (pid === null) return void res.status(400).json({ error: 'pid must be a decimal number from 1 to 4194304', pid: raw });
    const snapshot = snapshotFor(req, res);
    if (snapshot) answerRecordedProcess(res, snapshot, pid);
  });
  router.get('/containers/:ref', (req, res) => {
    const ref = String(req.params.ref ?? '');
    const container = findContainer(player.current().containers, ref);
    res.status(404).json({ error: container ? 'docker inspect is live-only: a recording does not hold it' : 'no such container', ref });
  });
  router.get('/recording', (_req, res) => {
    const { start, end } = player.playback();
    res.json({ file: options.file, header: options.header, start, end });
  });
  return router;
}
