import { z } from 'zod';

/** What kinds of thing the timeline says happened. */
export const timelineEventKindSchema = z.enum([
  'process-born',
  'process-exited',
  'process-exec',
  'container-created',
  'container-state',
  'container-removed',
  'container-renamed',
]);
export type TimelineEventKind = z.infer<typeof timelineEventKindSchema>;

/** One thing that happened between two snapshots, as a person would say it (see `buildTimelineEvents`). */
export const timelineEventSchema = z
  .object({
    /** Unique within a recording: time, kind and subject. */
    id: z.string().max(512),
    /** Milliseconds since the epoch: the `takenAt` of the snapshot that showed it. */
    at: z.number(),
    kind: timelineEventKindSchema,
    text: z.string().max(4096),
    /** The process to open, when it is still alive after the event. */
    pid: z.number().int().nonnegative().nullable(),
    containerId: z.string().max(256).nullable(),
  })
  .strict();
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

/** Container events are the ones the player bar marks: a container's birth, state change, removal or rename. */
export function isContainerEvent(event: TimelineEvent): boolean {
  return event.kind.startsWith('container-');
}
