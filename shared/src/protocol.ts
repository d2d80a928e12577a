import { z } from 'zod';
import { formatIssue } from './format-issue.ts';
import { containerInfoSchema, hostInfoSchema, processInfoSchema, snapshotSchema } from './model.ts';
import { playbackSpeedSchema, playbackStateSchema } from './playback.ts';
import { sharedViewSchema } from './shared-view.ts';
import { timelineEventSchema } from './timeline-event.ts';

/** Bumped on any incompatible change; the first server message carries it. */
export const PROTOCOL_VERSION = 3;
/** Frames from a client larger than this are refused (a presenter's view is the largest, ~11 KiB at most). */
export const MAX_CLIENT_FRAME_BYTES = 16_384;
/** The most timeline events one message carries. */
export const MAX_TIMELINE_EVENTS = 200;
/** The most player-bar markers one message carries. */
export const MAX_MARKERS = 500;

const seq = z.number().int().nonnegative();

export const snapshotDiffSchema = z
  .object({
    /** New processes, and processes whose fields changed; a reused pid arrives with a new `startTime`. */
    upserted: z.array(processInfoSchema),
    /** Pids that exited. */
    removed: z.array(z.number().int().nonnegative()),
    /** The whole container list, when it changed; otherwise null. */
    containers: z.array(containerInfoSchema).nullable(),
    host: hostInfoSchema.nullable(),
    takenAt: z.number(),
  })
  .strict();
export type SnapshotDiff = z.infer<typeof snapshotDiffSchema>;

/** Server → client. `seq` increases by one per message; a gap means the client must resync. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), protocol: z.literal(PROTOCOL_VERSION), seq, snapshot: snapshotSchema }).strict(),
  z.object({ type: z.literal('diff'), seq, diff: snapshotDiffSchema }).strict(),
  z.object({ type: z.literal('error'), message: z.string() }).strict(),
  /** After the first snapshot: who this connection is and what the server offers it. */
  z
    .object({
      type: z.literal('session'),
      role: z.enum(['presenter', 'audience']),
      /** Started with `--share`: presenters are followed by audience pages. */
      share: z.boolean(),
      mode: z.enum(['live', 'replay']),
      /** To presenters with `--share`: the audience's address, for the QR code on screen. */
      audienceUrl: z.string().max(2048).nullable(),
    })
    .strict(),
  /** Where the playhead stands; sent on connect and whenever it is moved, paused, or reaches an end. */
  z.object({ type: z.literal('playback'), state: playbackStateSchema }).strict(),
  /** Container events over the whole history, oldest first, for the player bar. */
  z.object({ type: z.literal('markers'), markers: z.array(timelineEventSchema).max(MAX_MARKERS) }).strict(),
  /** What happened up to the playhead, newest first: on connect and after each jump of the playhead. */
  z.object({ type: z.literal('timeline'), events: z.array(timelineEventSchema).max(MAX_TIMELINE_EVENTS) }).strict(),
  /** To the audience: what the presenter shows (null before a presenter has shown anything). */
  z.object({ type: z.literal('presenter'), view: sharedViewSchema.nullable() }).strict(),
  /** To presenters: how many audience pages are connected, and how many follow. */
  z.object({ type: z.literal('presence'), audience: z.number().int().nonnegative(), following: z.number().int().nonnegative() }).strict(),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** Client → server. Everything but `resync` and `follow` is the presenter's alone. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  /** Ask for a fresh snapshot (after a sequence gap). */
  z.object({ type: z.literal('resync') }).strict(),
  z.object({ type: z.literal('play') }).strict(),
  z.object({ type: z.literal('pause') }).strict(),
  z.object({ type: z.literal('speed'), speed: playbackSpeedSchema }).strict(),
  /** Move the playhead to a moment (milliseconds since the epoch); clamped to what is known. */
  z.object({ type: z.literal('seek'), at: z.number().finite() }).strict(),
  /** Back to the live host (live mode). */
  z.object({ type: z.literal('live') }).strict(),
  /** The presenter's view, for audience pages to follow. */
  z.object({ type: z.literal('present'), view: sharedViewSchema }).strict(),
  /** An audience page follows the presenter, or has broken away. */
  z.object({ type: z.literal('follow'), following: z.boolean() }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: formatIssue(result.error) };
}

/** Validates a frame from the server; never throws. */
export function parseServerMessage(text: string): Parsed<ServerMessage> {
  return parseWith(serverMessageSchema, text);
}

/** Validates a frame from a client; never throws. */
export function parseClientMessage(text: string): Parsed<ClientMessage> {
  if (text.length > MAX_CLIENT_FRAME_BYTES) return { ok: false, error: 'frame too large' };
  return parseWith(clientMessageSchema, text);
}
