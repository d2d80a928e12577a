import { z } from 'zod';
import { containerInfoSchema, snapshotSchema } from './model.ts';
import { HOST_NAME } from './host-subjects.ts';
import { PROTOCOL_VERSION, snapshotDiffSchema } from './protocol.ts';
import type { Parsed } from './protocol.ts';

/**
 * What agents publish to NATS and what the hub serves about them. The browser's protocol
 * (`protocol.ts`) carries one host; these messages carry many over NATS, each stamped with the
 * same PROTOCOL_VERSION because they embed the same snapshot and diff shapes. The hub validates
 * every message it reads (strict, like the browser does), so a foreign or old agent shows up as a
 * named problem instead of a crash.
 */

const hostName = z.string().regex(HOST_NAME);
const seq = z.number().int().nonnegative();

/** Every message from an agent: who, which run of the agent (`epoch`), and its place in that run. */
const envelope = {
  protocol: z.literal(PROTOCOL_VERSION),
  host: hostName,
  /** Random per agent start: diffs apply only to a snapshot of the same epoch. */
  epoch: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  /** Counts snapshots and diffs of this epoch; a snapshot at `seq` is followed by the diff at `seq + 1`. */
  seq,
  /** The agent's clock, milliseconds since the epoch (informational: the hub goes by its own). */
  sentAt: z.number(),
};

export const hostSnapshotMessageSchema = z.object({ type: z.literal('snapshot'), ...envelope, snapshot: snapshotSchema }).strict();
export const hostDiffMessageSchema = z.object({ type: z.literal('diff'), ...envelope, diff: snapshotDiffSchema }).strict();
export const hostBeatMessageSchema = z
  .object({
    type: z.literal('beat'),
    ...envelope,
    /** How often beats come; the hub calls a host stale after a few missed ones. */
    beatMs: z.number().int().positive(),
    processes: z.number().int().nonnegative(),
    containers: z.number().int().nonnegative(),
    /** What keeps the agent from publishing its state, in words (e.g. a snapshot over NATS's max_payload). */
    problem: z.string().max(500).nullable(),
  })
  .strict();

export const hostMessageSchema = z.discriminatedUnion('type', [hostSnapshotMessageSchema, hostDiffMessageSchema, hostBeatMessageSchema]);
export type HostSnapshotMessage = z.infer<typeof hostSnapshotMessageSchema>;
export type HostDiffMessage = z.infer<typeof hostDiffMessageSchema>;
export type HostBeatMessage = z.infer<typeof hostBeatMessageSchema>;
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** Hub → agent, request/reply: the detail pane's questions, and "send me a snapshot". */
export const hostRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('process'), pid: z.number().int().positive().max(4_194_304) }).strict(),
  z.object({ type: z.literal('container'), ref: z.string().min(1).max(128) }).strict(),
  z.object({ type: z.literal('resync') }).strict(),
]);
export type HostRequest = z.infer<typeof hostRequestSchema>;

/** Agent → hub: an HTTP-like answer; the hub checks `body` against the endpoint's own schema. */
export const hostReplySchema = z.object({ status: z.number().int().min(200).max(599), body: z.unknown() }).strict();
export type HostReply = z.infer<typeof hostReplySchema>;

/** `GET /api/hosts`: one row per host the hub knows. */
export const hostSummarySchema = z
  .object({
    name: hostName,
    state: z.enum(['live', 'stale']),
    processes: z.number().int().nonnegative(),
    containers: z.number().int().nonnegative(),
    /** The first few containers' names, running ones first, for the list. */
    containerNames: z.array(z.string()),
    /** When the hub last heard from the host (hub clock, ms since the epoch); null: only its old state is known. */
    lastSeen: z.number().nullable(),
    /** How long ago that was, by the hub's clock, so a browser with a wrong clock still says it right. */
    ageMs: z.number().nonnegative().nullable(),
    /** The machine's own hostname, from its snapshot. */
    hostname: z.string().nullable(),
    /** Why the host cannot be shown fully (old agent, snapshot too large…), or null. */
    problem: z.string().nullable(),
  })
  .strict();
export type HostSummary = z.infer<typeof hostSummarySchema>;
export const hostSummariesSchema = z.array(hostSummarySchema);

/** `GET /api/hub`: the hub's own link to NATS. */
export const hubStatusSchema = z
  .object({
    nats: z.object({ state: z.enum(['connected', 'reconnecting', 'closed']), server: z.string(), error: z.string().nullable() }).strict(),
  })
  .strict();
export type HubStatus = z.infer<typeof hubStatusSchema>;

/** `GET /api/hosts/search?q=`: a container or process found on some host. */
export const hostMatchSchema = z
  .object({
    host: hostName,
    kind: z.enum(['container', 'process']),
    pid: z.number().int().nullable(),
    /** The process's name, or the container's. */
    name: z.string(),
    container: containerInfoSchema.pick({ id: true, name: true, image: true, state: true }).nullable(),
  })
  .strict();
export type HostMatch = z.infer<typeof hostMatchSchema>;
export const hostMatchesSchema = z.array(hostMatchSchema);

/** Validates a message read from NATS; never throws. An agent of another protocol is named as such. */
export function parseHostMessage(text: string): Parsed<HostMessage> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const protocol = typeof json === 'object' && json !== null ? (json as { protocol?: unknown }).protocol : undefined;
  if (protocol !== PROTOCOL_VERSION) {
    return {
      ok: false,
      error: `the agent speaks protocol ${JSON.stringify(protocol ?? null)}; this hub speaks ${PROTOCOL_VERSION}: run the same proclens version on both`,
    };
  }
  const result = hostMessageSchema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message' };
}
