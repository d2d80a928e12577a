import { z } from 'zod';

/** Runtime roles, as a schema; kept in step with `RuntimeRole`. */
export const runtimeRoleSchema = z.enum(['dockerd', 'containerd', 'shim', 'runc', 'docker-init', 'docker-proxy', 'conmon', 'podman', 'rootlesskit']);

const pid = z.number().int().nonnegative();

/** One process as the snapshot and the stream carry it. Identity is `(pid, startTime)`. */
export const processInfoSchema = z
  .object({
    pid,
    ppid: pid,
    /** The kernel's `comm`: cut to 15 bytes, may hold any character but NUL. */
    name: z.string(),
    argv: z.array(z.string()),
    /** Real uid; null when `/proc/PID/status` could not be read. */
    uid: z.number().int().nullable(),
    /** One letter from `stat`: R, S, D, Z, T, t, X, I… */
    state: z.string(),
    threads: z.number().int().nonnegative(),
    /** Clock ticks after boot (`stat` field 22). */
    startTime: z.number().nonnegative(),
    /** Wall-clock start, milliseconds since the epoch. */
    startedAt: z.number(),
    /** Per cent of one core over the last tick, one decimal. */
    cpu: z.number().nonnegative(),
    /** Resident memory in KiB. */
    rssKiB: z.number().nonnegative(),
    /** Pid in each pid namespace, host first; `[2984, 1]` is pid 1 in its container. */
    nspid: z.array(pid),
    /** Full id of the container the process belongs to (by cgroup), or null. */
    containerId: z.string().nullable(),
    /** Parent in the runtime chain where it differs from `ppid` (a re-parented shim → its containerd). */
    logicalParent: pid.nullable(),
    role: runtimeRoleSchema.nullable(),
    /** For a shim: the container it serves (`-id`). */
    shimOf: z.string().nullable(),
    /** A kernel thread (kthreadd or its child): no argv, hidden by default. */
    kernelThread: z.boolean(),
    /** Namespace types (`pid`, `net`, `mnt`…) in which it differs from its kernel parent, like `pstree -S`. */
    newNamespaces: z.array(z.string()),
  })
  .strict();
export type ProcessInfo = z.infer<typeof processInfoSchema>;

/** Who runs a container: an engine with an API (Docker, Podman) or bare containerd (Kubernetes nodes, `ctr`). */
export const engineKindSchema = z.enum(['docker', 'podman', 'containerd']);
export type EngineKind = z.infer<typeof engineKindSchema>;

export const containerInfoSchema = z
  .object({
    id: z.string(),
    /** The engine that owns it; with several engines on one host, this tells them apart. */
    engine: engineKindSchema,
    /** containerd's namespace (`moby` for Docker, `k8s.io` for Kubernetes), when known. */
    namespace: z.string().nullable(),
    /** Where the facts came from: the engine's API, or `/proc` and the shim's arguments alone. */
    source: z.enum(['api', 'proc']),
    /** Exit code of a stopped container, when the engine says. */
    exitCode: z.number().int().nullable(),
    name: z.string(),
    image: z.string(),
    /** Engine state: created, running, paused, restarting, exited, dead. */
    state: z.string(),
    /** Engine's human status, e.g. "Up 3 minutes". */
    status: z.string(),
    command: z.string(),
    /** Milliseconds since the epoch. */
    created: z.number(),
    /** Host pid of the container's init; null when not running. */
    pid: pid.nullable(),
    /** Host pids of every process in the container, ascending. */
    pids: z.array(pid),
    labels: z.record(z.string(), z.string()),
  })
  .strict();
export type ContainerInfo = z.infer<typeof containerInfoSchema>;

export const engineStatusSchema = z
  .object({
    kind: engineKindSchema,
    state: z.enum(['connected', 'disconnected', 'connecting']),
    /** Where the server looks for the engine, e.g. `unix:///var/run/docker.sock`. */
    endpoint: z.string(),
    version: z.string().nullable(),
    error: z.string().nullable(),
  })
  .strict();
export type EngineStatus = z.infer<typeof engineStatusSchema>;

export const hostInfoSchema = z
  .object({
    hostname: z.string(),
    kernel: z.string(),
    cpus: z.number().int(),
    /** Milliseconds since the epoch. */
    bootTime: z.number(),
    /** Every engine the server watches, Docker first when configured. */
    engines: z.array(engineStatusSchema),
  })
  .strict();
export type HostInfo = z.infer<typeof hostInfoSchema>;

export const snapshotSchema = z
  .object({
    processes: z.array(processInfoSchema),
    containers: z.array(containerInfoSchema),
    host: hostInfoSchema,
    /** Milliseconds since the epoch. */
    takenAt: z.number(),
  })
  .strict();
export type Snapshot = z.infer<typeof snapshotSchema>;
