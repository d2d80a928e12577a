import { z } from 'zod';
import { parseEnvEntry } from '@proclens/shared';
import type { ContainerConfig } from '@proclens/shared';
import type { EngineContainer } from './container-engine.ts';

/** Zero time (0001-01-01) comes back as a large negative number of seconds: "never". */
const timestamp = z
  .object({ seconds: z.number(), nanos: z.number() })
  .nullish()
  .transform((t) => (t && t.seconds > 0 ? t.seconds * 1000 + Math.floor(t.nanos / 1e6) : null));

const containerSchema = z.object({
  id: z.string(),
  labels: z.record(z.string(), z.string()),
  image: z.string(),
  spec: z.object({ typeUrl: z.string(), value: z.instanceof(Buffer) }).nullish(),
  createdAt: timestamp,
});
type Container = z.infer<typeof containerSchema>;

const taskSchema = z.object({
  id: z.string(),
  pid: z.number().int().nonnegative(),
  status: z.string(),
  exitStatus: z.number().int(),
  exitedAt: timestamp,
});
type Task = z.infer<typeof taskSchema>;

/** The parts of the OCI runtime spec (containerd keeps it as JSON in `Container.spec`) shown in the detail view. */
const specSchema = z.object({
  process: z
    .object({
      args: z.array(z.string()).default([]),
      env: z.array(z.string()).default([]),
      cwd: z.string().default(''),
      user: z.object({ uid: z.number(), gid: z.number() }).partial().default({}),
    })
    .partial()
    .default({}),
  mounts: z
    .array(z.object({ destination: z.string(), source: z.string().default(''), type: z.string().default(''), options: z.array(z.string()).default([]) }))
    .default([]),
  linux: z
    .object({ namespaces: z.array(z.object({ type: z.string(), path: z.string().optional() })).default([]) })
    .partial()
    .default({}),
});
type Spec = z.infer<typeof specSchema>;

/** containerd's task status → the state words Docker uses, so the page reads the same for every engine. */
const STATES: Record<string, string> = { RUNNING: 'running', STOPPED: 'exited', CREATED: 'created', PAUSED: 'paused', PAUSING: 'paused' };

function parseSpec(container: Container): Spec | null {
  if (!container.spec || !container.spec.typeUrl.includes('runtime-spec')) return null;
  try {
    const parsed = specSchema.safeParse(JSON.parse(container.spec.value.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Containers.List and Tasks.List of one namespace (decoded by ContainerdClient) in the project's
 * terms: `source: 'api'`, the namespace, labels (the CRI's `io.kubernetes.*` among them) and image
 * from containerd's metadata; state, init pid and exit code from its task. containerd keeps no
 * names: the id is the name, as `ctr` shows it. Answers that do not validate are left out. Pure.
 */
export function parseContainerdList(namespace: string, containers: unknown, tasks: unknown): EngineContainer[] {
  const taskList = z.object({ tasks: z.array(z.unknown()) }).safeParse(tasks);
  const byId = new Map<string, Task>();
  for (const t of taskList.success ? taskList.data.tasks : []) {
    const task = taskSchema.safeParse(t);
    if (task.success) byId.set(task.data.id, task.data);
  }
  const list = z.object({ containers: z.array(z.unknown()) }).safeParse(containers);
  const result: EngineContainer[] = [];
  for (const c of list.success ? list.data.containers : []) {
    const parsed = containerSchema.safeParse(c);
    if (!parsed.success) continue;
    const container = parsed.data;
    const task = byId.get(container.id);
    const state = task ? (STATES[task.status] ?? 'unknown') : 'created';
    result.push({
      id: container.id,
      engine: 'containerd',
      namespace,
      source: 'api',
      exitCode: state === 'exited' && task ? task.exitStatus : null,
      name: container.id,
      image: container.image,
      state,
      status: task ? `${state}${state === 'exited' ? ` (${task.exitStatus})` : ''}` : 'no task',
      command: (parseSpec(container)?.process.args ?? []).join(' '),
      created: container.createdAt ?? 0,
      pid: task && task.pid > 0 && state !== 'exited' ? task.pid : null,
      labels: container.labels,
    });
  }
  return result;
}

/**
 * Containers.Get's answer as a ContainerConfig: the command,
 * environment, user, working directory and mounts from the OCI spec; the network from its
 * namespaces (none listed: the host's; a path: a namespace someone else made, as the CRI does).
 * containerd records no start or finish time. Null when the answer does not validate. Pure.
 */
export function parseContainerdConfig(answer: unknown): ContainerConfig | null {
  const parsed = z.object({ container: containerSchema }).safeParse(answer);
  if (!parsed.success) return null;
  const spec = parseSpec(parsed.data.container);
  const net = spec?.linux.namespaces?.find((n) => n.type === 'network');
  const user = spec?.process.user;
  return {
    startedAt: null,
    finishedAt: null,
    restartCount: 0,
    command: spec?.process.args ?? [],
    user: user?.uid !== undefined ? `${user.uid}:${user.gid ?? 0}` : '',
    workingDir: spec?.process.cwd ?? '',
    init: false,
    networkMode: !spec ? '' : !net ? 'host' : net.path ? `namespace ${net.path}` : 'own network namespace',
    env: (spec?.process.env ?? []).map(parseEnvEntry),
    mounts: (spec?.mounts ?? []).map((m) => ({ type: m.type, source: m.source, destination: m.destination, readWrite: !m.options.includes('ro') })),
    ports: [],
    labels: parsed.data.container.labels,
  };
}

/** Namespaces.List's answer → the namespace names. Pure. */
export function parseContainerdNamespaces(answer: unknown): string[] {
  const parsed = z.object({ namespaces: z.array(z.object({ name: z.string().min(1) })) }).safeParse(answer);
  return parsed.success ? parsed.data.namespaces.map((n) => n.name) : [];
}

/** Version.Version's answer → `1.6.20~ds1`, or null. Pure. */
export function parseContainerdVersion(answer: unknown): string | null {
  const parsed = z.object({ version: z.string().min(1) }).safeParse(answer);
  return parsed.success ? parsed.data.version : null;
}
