import type { Request, Response } from 'express';
import { buildRecordedDetail } from '@proclens/shared';
import type { Snapshot } from '@proclens/shared';
import { parseRequestTarget } from './parse-request-parts.ts';

/** Anything before 2001 or after 2286 is not a moment a recording holds. */
const AT_PATTERN = /^\d{12,13}$/;

/** What the history answers need of a player. */
export interface HistorySource {
  /** The snapshot at a moment, or null outside what is held. */
  at(ms: number): Snapshot | null;
  playback(): { start: number; end: number };
}

/** `?at=<ms since the epoch>`: undefined when absent, NaN when malformed. */
export function readAtParam(req: Request): number | undefined {
  const raw = parseRequestTarget(req.url).query.get('at');
  if (raw === null) return undefined;
  return AT_PATTERN.test(raw) ? Number(raw) : NaN;
}

/**
 * The snapshot at `?at=`, or null after answering the request itself (400 for a malformed
 * time, 404 with the range held for one outside it).
 */
export function answerAt(res: Response, history: HistorySource | null, at: number): Snapshot | null {
  if (Number.isNaN(at)) {
    res.status(400).json({ error: 'at must be milliseconds since the epoch (13 digits)' });
    return null;
  }
  const snapshot = history?.at(at) ?? null;
  if (!snapshot) {
    const range = history?.playback();
    res.status(404).json({
      error: history ? 'nothing is held for that moment' : 'this server keeps no history (--rewind 0)',
      from: range?.start ?? null,
      to: range?.end ?? null,
    });
    return null;
  }
  return snapshot;
}

/** A process as recorded in `snapshot`, for the detail pane; 404 when it was not there. */
export function answerRecordedProcess(res: Response, snapshot: Snapshot, pid: number): void {
  const process = snapshot.processes.find((p) => p.pid === pid);
  if (!process) return void res.status(404).json({ error: 'no such process at that moment', pid, at: snapshot.takenAt });
  const container = process.containerId ? (snapshot.containers.find((c) => c.id === process.containerId) ?? null) : null;
  res.json(buildRecordedDetail(process, container, snapshot.takenAt));
}
