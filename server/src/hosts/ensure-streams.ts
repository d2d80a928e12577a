import { DiscardPolicy, RetentionPolicy, StorageType, nanos } from 'nats';
import type { JetStreamManager, NatsConnection, StreamConfig } from 'nats';
import { DIFFS_KEPT_PER_HOST, DIFF_MAX_AGE_MS, DIFF_STREAM, DIFF_SUBJECTS, STATE_MAX_AGE_MS, STATE_STREAM, STATE_SUBJECTS } from '@proclens/shared';
import type { Logger } from '../logger.ts';

/** The two streams (see shared/src/host-subjects.ts for why two); on disk, so a NATS restart keeps every host's state. */
export const STREAMS: Partial<StreamConfig>[] = [
  {
    name: STATE_STREAM,
    subjects: [STATE_SUBJECTS],
    retention: RetentionPolicy.Limits,
    max_msgs_per_subject: 1,
    max_age: nanos(STATE_MAX_AGE_MS),
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
  },
  {
    name: DIFF_STREAM,
    subjects: [DIFF_SUBJECTS],
    retention: RetentionPolicy.Limits,
    max_msgs_per_subject: DIFFS_KEPT_PER_HOST,
    max_age: nanos(DIFF_MAX_AGE_MS),
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
  },
];

/**
 * Creates the streams, or brings their limits in line. Agents and the hub both call it, so
 * either may start first. A stream made by an administrator with other limits is updated when
 * allowed and used as it is when not (agents with publish-only permissions).
 */
export async function ensureStreams(jsm: JetStreamManager, log: Logger): Promise<void> {
  for (const wanted of STREAMS) {
    const name = wanted.name ?? '';
    const info = await jsm.streams.info(name).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === '404') return null;
      throw err;
    });
    if (!info) {
      await jsm.streams.add(wanted).catch(async (err: unknown) => {
        // Another agent made it a moment ago.
        if (!(await jsm.streams.info(name).catch(() => null))) throw err;
      });
      continue;
    }
    const differs = (['max_msgs_per_subject', 'max_age', 'storage', 'discard'] as const).some((key) => info.config[key] !== wanted[key]);
    if (differs) {
      await jsm.streams.update(name, { ...info.config, ...wanted }).catch((err: unknown) => {
        log.warn('stream has other limits and cannot be updated; using it as it is', { stream: name, error: err instanceof Error ? err.message : String(err) });
      });
    }
  }
}

/** JetStream on this connection, with the streams in place; a NATS without JetStream is named as such. */
export async function openHostStreams(nc: NatsConnection, display: string, log: Logger): Promise<void> {
  const jsm = await nc.jetstreamManager().catch((err: unknown) => {
    throw new Error(`NATS at ${display} has no JetStream (${err instanceof Error ? err.message : String(err)}): start nats-server with -js`);
  });
  await ensureStreams(jsm, log);
}
