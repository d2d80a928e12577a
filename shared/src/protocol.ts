import { z } from 'zod';
import { containerInfoSchema, hostInfoSchema, processInfoSchema, snapshotSchema } from './model.ts';

/** Bumped on any incompatible change; the first server message carries it. */
export const PROTOCOL_VERSION = 2;
/** Frames larger than this are refused on both sides. */
export const MAX_CLIENT_FRAME_BYTES = 4096;

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
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** Client → server. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  /** Ask for a fresh snapshot (after a sequence gap). */
  z.object({ type: z.literal('resync') }).strict(),
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
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message' };
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
