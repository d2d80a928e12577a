import { z } from 'zod';
import { containerInfoSchema, processInfoSchema } from './model.ts';
import { MASK } from './secret-span.ts';

/**
 * One variable as shown. `masked: false`: the value as it is. `masked: true`: either `value: null`
 * (all of it hidden: the name looks secret, or its parts could not be hidden safely) or the value
 * with each secret part replaced by `MASK` (`postgres://app:••••••@db/app`).
 */
export const envVarViewSchema = z
  .object({
    name: z.string(),
    value: z.string().nullable(),
    masked: z.boolean(),
  })
  .strict()
  .refine((v) => (v.masked ? v.value === null || v.value.includes(MASK) : v.value !== null), {
    message: 'a masked value is null or holds the mask; an unmasked value is a string',
  });
export type EnvVarView = z.infer<typeof envVarViewSchema>;

/** `/proc/PID/environ` as read: `denied` without privilege, `zeroed` when the process overwrote it. */
export const environViewSchema = z
  .object({
    state: z.enum(['ok', 'empty', 'zeroed', 'denied']),
    vars: z.array(envVarViewSchema),
  })
  .strict();
export type EnvironView = z.infer<typeof environViewSchema>;

export const namespaceSchema = z
  .object({
    /** `pid`, `net`, `mnt`, `uts`, `ipc`, `user`, `cgroup`, `time`… */
    type: z.string(),
    inode: z.number().nullable(),
    /** Whether the host's pid 1 is in the same namespace. */
    sharedWithHost: z.boolean().nullable(),
  })
  .strict();

/** `GET /api/processes/:pid`: everything the detail pane shows for one process. */
export const processDetailSchema = z
  .object({
    process: processInfoSchema,
    argv: z.array(z.string()),
    exe: z.string().nullable(),
    cwd: z.string().nullable(),
    status: z
      .object({
        nspid: z.array(z.number().int()),
        uid: z.array(z.number().int()),
        gid: z.array(z.number().int()),
        ppid: z.number().int().nullable(),
        threads: z.number().int().nullable(),
        fields: z.array(z.tuple([z.string(), z.string()])),
      })
      .strict(),
    cgroup: z.array(z.object({ hierarchy: z.number(), controllers: z.array(z.string()), path: z.string() }).strict()),
    namespaces: z.array(namespaceSchema),
    environ: environViewSchema,
    /** Its threads (`/proc/PID/task/*`), as `pstree` shows them: `{name}(tid)`. */
    tasks: z.array(z.object({ tid: z.number().int(), name: z.string(), state: z.string() }).strict()),
    /** `ls /proc/PID`: what the kernel exposes for this process. */
    entries: z.array(z.string()),
    /** Open file descriptors, or null when not permitted. */
    fdCount: z.number().int().nullable(),
    /**
     * What the kernel refused to show the server (EACCES/EPERM), so the pane can say "not
     * permitted" rather than show nothing: `environ`, the `exe` and `cwd` links, the `fd/`
     * directory, the `ns/` links. Which privileges open which: docs/install.md, "Least privilege".
     */
    notPermitted: z.array(z.enum(['environ', 'exe', 'cwd', 'fd', 'ns'])),
    /** The container the process belongs to, with its configured environment (from the engine). */
    container: containerInfoSchema.nullable(),
    containerEnv: z.array(envVarViewSchema).nullable(),
    /**
     * Null when read from /proc now. A time (ms since the epoch) when built from the row recorded
     * then (a replay, or a live host rewound): what only /proc or the engine can tell (exe, cwd,
     * status fields, cgroups, namespaces, environment, threads, entries, fds, configured
     * environment) is live-only and left empty.
     */
    recordedAt: z.number().nullable(),
  })
  .strict();
export type ProcessDetail = z.infer<typeof processDetailSchema>;

/** `GET /api/containers/:id`: what `docker inspect` says, trimmed to what people ask for. */
export const containerDetailSchema = z
  .object({
    container: containerInfoSchema,
    /** Milliseconds since the epoch; null when never started. */
    startedAt: z.number().nullable(),
    finishedAt: z.number().nullable(),
    restartCount: z.number().int(),
    /** Entrypoint and command, as the engine runs them. */
    command: z.array(z.string()),
    user: z.string(),
    workingDir: z.string(),
    /** `docker run --init`: docker-init (tini) runs as pid 1 inside. */
    init: z.boolean(),
    networkMode: z.string(),
    /** Configured environment (image ENV plus `-e`), secrets masked. */
    env: z.array(envVarViewSchema),
    mounts: z.array(z.object({ type: z.string(), source: z.string(), destination: z.string(), readWrite: z.boolean() }).strict()),
    ports: z.array(z.object({ container: z.string(), hostIp: z.string(), hostPort: z.string() }).strict()),
    compose: z.object({ project: z.string(), service: z.string() }).strict().nullable(),
    kubernetes: z.object({ pod: z.string(), namespace: z.string() }).strict().nullable(),
  })
  .strict();
export type ContainerDetail = z.infer<typeof containerDetailSchema>;
