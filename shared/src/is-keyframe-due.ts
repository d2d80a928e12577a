/** Snapshots in a recording are at least this far apart. */
export const KEYFRAME_MIN_GAP_MS = 30_000;
/** …and at most this far, however little changed. */
export const KEYFRAME_MAX_GAP_MS = 10 * 60_000;
/** Between the two, a snapshot is due once the diffs since the last one add up to this share of it. */
export const KEYFRAME_DIFF_SHARE = 1 / 8;

export interface SinceKeyframe {
  /** Milliseconds since the last snapshot line. */
  elapsedMs: number;
  /** Bytes of diff lines written since it. */
  diffBytes: number;
  /** Bytes of that snapshot line. */
  keyframeBytes: number;
}

/**
 * Whether the next change is written as a whole snapshot rather than a diff. What seeking costs
 * is the diffs to apply after a snapshot: a busy host gets one every 30 s, a quiet one only once
 * its diffs are worth an eighth of a snapshot (or after 10 minutes), since 120 snapshots an hour
 * of an idle 1,000-process host would be ~5 MB of gzip on their own. Pure.
 */
export function isKeyframeDue(since: SinceKeyframe): boolean {
  if (since.elapsedMs >= KEYFRAME_MAX_GAP_MS) return true;
  return since.elapsedMs >= KEYFRAME_MIN_GAP_MS && since.diffBytes >= since.keyframeBytes * KEYFRAME_DIFF_SHARE;
}
