import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { KEYFRAME_MIN_GAP_MS, PROTOCOL_VERSION, RECORDING_FORMAT, buildTimelineEvents, isKeyframeDue } from '@proclens/shared';
import type { RecordingHeader, RecordingLine, Snapshot } from '@proclens/shared';
import { diffOnce } from './diff-once.ts';
import type { Logger } from './logger.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';

/** zlib's default: level 9 makes JSON Lines only 4 % smaller for twice the CPU. */
export const GZIP_LEVEL = 6;

export interface RecordingOptions {
  file: string;
  feed: SnapshotFeed;
  header: Omit<RecordingHeader, 'kind' | 'format' | 'protocol' | 'keyframeMs' | 'startedAt'>;
  log: Logger;
  now?: () => number;
}

export interface Recording {
  /** Lines written so far. */
  readonly lines: number;
  /** Snapshot lines written so far. */
  readonly snapshots: number;
  /** Bytes written but not yet compressed and on disk (a slow disk shows here). */
  readonly backlog: number;
  /** Writes the end line and closes the file; resolves once it is on disk. */
  stop(): Promise<void>;
}

/**
 * `--record FILE`: writes what the browser receives, as JSON Lines (gzip when FILE ends in
 * `.gz`): a header, the first snapshot, then a diff per changed tick with the timeline events it
 * caused, and a whole snapshot instead of a diff when one is due (`isKeyframeDue`). An idle host
 * writes nothing between changes. Opening the file happens here, so a path that cannot be written
 * stops the server at start rather than later.
 */
export function startRecording(options: RecordingOptions): Recording {
  const now = options.now ?? Date.now;
  let fd: number;
  try {
    fd = openSync(options.file, 'w');
  } catch (err) {
    throw new Error(`cannot write the recording ${options.file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const file = createWriteStream('', { fd });
  const out: Writable = options.file.endsWith('.gz') ? createGzip({ level: GZIP_LEVEL }) : file;
  if (out !== file) out.pipe(file);
  let failed: Error | null = null;
  const fail = (err: Error): void => {
    if (failed) return;
    failed = err;
    options.log.error('recording stopped: cannot write the file', { file: options.file, error: err.message });
  };
  file.on('error', fail);
  out.on('error', fail);

  let lines = 0;
  /** Writes one line; returns its length (what the keyframe rule weighs). */
  const write = (line: RecordingLine | RecordingHeader): number => {
    if (failed) return 0;
    const text = `${JSON.stringify(line)}\n`;
    out.write(text);
    lines++;
    return text.length;
  };
  write({ kind: 'header', format: RECORDING_FORMAT, protocol: PROTOCOL_VERSION, keyframeMs: KEYFRAME_MIN_GAP_MS, startedAt: now(), ...options.header });

  let snapshots = 0;
  let lastKeyAt: number | null = null;
  let keyframeBytes = 0;
  let diffBytes = 0;
  const writeSnapshot = (snapshot: Snapshot): void => {
    keyframeBytes = write({ kind: 'snapshot', at: snapshot.takenAt, snapshot });
    snapshots++;
    diffBytes = 0;
    lastKeyAt = snapshot.takenAt;
  };
  const onTick = (next: Snapshot, previous: Snapshot): void => {
    // The feed's first snapshot before its first scan is empty: the first real one is a keyframe.
    if (lastKeyAt === null) {
      if (next.processes.length > 0) writeSnapshot(next);
      return;
    }
    const diff = diffOnce(previous, next);
    if (!diff) return;
    if (isKeyframeDue({ elapsedMs: next.takenAt - lastKeyAt, diffBytes, keyframeBytes })) writeSnapshot(next);
    else diffBytes += write({ kind: 'diff', at: next.takenAt, diff });
    for (const event of buildTimelineEvents(previous, next)) write({ kind: 'event', at: event.at, event });
  };
  const initial = options.feed.current();
  if (initial.processes.length > 0) writeSnapshot(initial);
  const unsubscribe = options.feed.subscribe(onTick);

  let stopping: Promise<void> | null = null;
  return {
    get lines() {
      return lines;
    },
    get snapshots() {
      return snapshots;
    },
    get backlog() {
      return out.writableLength + (out === file ? 0 : file.writableLength);
    },
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        unsubscribe();
        // The end line is what tells a finished recording from a cut-off one.
        write({ kind: 'end', at: Math.max(now(), options.feed.current().takenAt) });
        file.once('close', () => resolve());
        file.once('error', () => resolve());
        out.end();
      });
      return stopping;
    },
  };
}
