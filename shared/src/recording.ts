import { z } from 'zod';
import { containerInfoSchema, hostInfoSchema, processInfoSchema } from './model.ts';
import { PROTOCOL_VERSION, snapshotDiffSchema } from './protocol.ts';
import { timelineEventSchema } from './timeline-event.ts';

/**
 * A recording is JSON Lines (gzip when the file name ends in `.gz`): a header, then snapshot,
 * diff and event lines in time order, then an end line. See docs/recording.md.
 *
 * Bumped on any change a reader of the old format would misread; the snapshot model is tied to
 * the protocol version, which the header carries too.
 */
export const RECORDING_FORMAT = 1;

const time = z.number().finite().nonnegative();

export const recordingHeaderSchema = z
  .object({
    kind: z.literal('header'),
    format: z.literal(RECORDING_FORMAT),
    protocol: z.literal(PROTOCOL_VERSION),
    /** The proclens that wrote it, e.g. `proclens 0.1.0`. */
    recorder: z.string().max(128),
    host: hostInfoSchema.pick({ hostname: true, kernel: true, cpus: true, bootTime: true }).strict(),
    /** When recording started, milliseconds since the epoch. */
    startedAt: time,
    /** The scanner's interval: how far apart moments are at most while things change. */
    intervalMs: z.number().int().positive(),
    /** Snapshot lines are at least this far apart (see `isKeyframeDue` for when the next is written). */
    keyframeMs: z.number().int().positive(),
  })
  .strict();
export type RecordingHeader = z.infer<typeof recordingHeaderSchema>;

/**
 * A snapshot line as it is checked before its rows are: each row is checked on its own, and a
 * row equal to the one already held for its pid is not checked again (see `parseRecording`).
 */
export const recordingSnapshotLineSchema = z
  .object({
    kind: z.literal('snapshot'),
    at: time,
    snapshot: z
      .object({
        processes: z.array(z.unknown()),
        containers: z.array(containerInfoSchema),
        host: hostInfoSchema,
        takenAt: time,
      })
      .strict(),
  })
  .strict();

export const recordingDiffLineSchema = z.object({ kind: z.literal('diff'), at: time, diff: snapshotDiffSchema }).strict();
export const recordingEventLineSchema = z.object({ kind: z.literal('event'), at: time, event: timelineEventSchema }).strict();
export const recordingEndLineSchema = z.object({ kind: z.literal('end'), at: time }).strict();

/** Every line after the header, as written. */
export const recordingLineSchema = z.discriminatedUnion('kind', [
  recordingSnapshotLineSchema.extend({ snapshot: recordingSnapshotLineSchema.shape.snapshot.extend({ processes: z.array(processInfoSchema) }) }),
  recordingDiffLineSchema,
  recordingEventLineSchema,
  recordingEndLineSchema,
]);
export type RecordingLine = z.infer<typeof recordingLineSchema>;
