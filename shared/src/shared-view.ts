import { z } from 'zod';

/** At most this many folded pids travel; a presenter who folded more sends the first ones. */
export const MAX_SHARED_FOLDS = 256;
/** At most this many opened groups travel. */
export const MAX_SHARED_GROUPS = 48;

const pid = z.number().int().nonnegative().max(4_194_304);

/**
 * What the presenter's page shows, as audience pages apply it ("follow the presenter"): the
 * selection, the search, the toggles and what the camera frames. Not the theme (each screen keeps
 * its own) nor the exact pan, which depends on the size of each screen.
 */
export const sharedViewSchema = z
  .object({
    /** A process, not a pid: `startTime` binds it once known (pids are reused). */
    selection: z.object({ pid, startTime: z.number().nonnegative().nullable() }).strict().nullable(),
    /** The selected container, by id or name. */
    container: z.string().max(256).nullable(),
    query: z.string().max(512),
    matchIndex: z.number().int().min(-1).max(1_000_000),
    view: z.enum(['runtime', 'kernel']),
    kernelThreads: z.boolean(),
    workshop: z.boolean(),
    dockerFocus: z.boolean(),
    folded: z.array(pid).max(MAX_SHARED_FOLDS),
    expandedGroups: z.array(z.string().max(128)).max(MAX_SHARED_GROUPS),
    /** What the camera frames: the selected process's chain, the container's, the runtime, or everything. */
    framing: z.enum(['process', 'container', 'runtime', 'everything']),
    /** Counts Fit presses, so a second Fit re-frames followers too. */
    fits: z.number().int().nonnegative(),
    /** The guided lesson's step, or null when the lesson is closed. */
    lessonStep: z.number().int().min(0).max(1000).nullable(),
    /** The detail section a lesson step points at. */
    section: z.string().max(32).nullable(),
  })
  .strict();
export type SharedView = z.infer<typeof sharedViewSchema>;
