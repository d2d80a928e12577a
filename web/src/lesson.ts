import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import type { DetailSection, Framing, ProcessRef } from './view-state.ts';

/** One step of the seed lesson, "Containers are just processes", written for any container. */
export interface LessonStep {
  title: string;
  /** What to type, for the chosen container. */
  command: string;
  /** What the dashboard now shows, and what to look at. */
  answer: string;
}

/** What the dashboard shows for a step: the view state it sets. */
export interface LessonView {
  container: string | null;
  process: ProcessRef | null;
  section: DetailSection | null;
  query: string;
  framing: Framing;
}

export interface LessonWorld {
  container: ContainerInfo | null;
  byPid: ReadonlyMap<number, ProcessInfo>;
}

interface Cast {
  name: string;
  image: string;
  init: ProcessInfo | null;
  shim: ProcessInfo | null;
  daemon: ProcessInfo | null;
}

function cast(world: LessonWorld): Cast {
  const { container, byPid } = world;
  const init = container && container.pid !== null ? (byPid.get(container.pid) ?? null) : null;
  const shim = init ? (byPid.get(init.ppid) ?? null) : null;
  // The top runtime daemon: dockerd, else containerd (or conmon for Podman).
  const daemons = [...byPid.values()].filter((p) => p.role === 'dockerd' || p.role === 'containerd' || p.role === 'conmon');
  const daemon = daemons.find((p) => p.role === 'dockerd') ?? daemons.find((p) => p.role === 'containerd') ?? daemons[0] ?? null;
  return { name: container?.name ?? 'db', image: container?.image ?? 'redis:alpine', init, shim, daemon };
}

type StepDef = (c: Cast) => LessonStep & { view: Omit<LessonView, 'container'> };

const ref = (p: ProcessInfo | null): ProcessRef | null => (p ? { pid: p.pid, startTime: p.startTime } : null);

const STEPS: StepDef[] = [
  (c) => ({
    title: 'Start a container',
    command: `docker run -d --name=${c.name} ${c.image}`,
    answer: `The container’s branch: the runtime daemon, a shim, and ${c.init?.name ?? 'its first process'}, an ordinary process on the host.`,
    view: { process: null, section: null, query: '', framing: 'container' },
  }),
  (c) => ({
    title: 'Its process, seen from the host',
    command: `ps aux | grep ${c.init?.name ?? 'redis-server'}`,
    answer: `${c.init ? `${c.init.name} is pid ${c.init.pid} on the host` : 'The process is found on the host'}, like any other: same pid, user and command as ps shows.`,
    view: { process: ref(c.init), section: 'identity', query: c.init?.name ?? '', framing: 'process' },
  }),
  (c) => ({
    title: 'docker top',
    command: `docker top ${c.name}`,
    answer: 'Docker lists the same host pids, with their parent (PPID): the table under the container, lit up in the tree.',
    view: { process: null, section: null, query: '', framing: 'container' },
  }),
  (c) => ({
    title: 'Who is the parent?',
    command: `ps -o pid,ppid,args -p ${c.init?.ppid ?? '<ppid>'}`,
    answer: `The parent is ${c.shim ? `${c.shim.name}(${c.shim.pid})` : 'the shim'}, which containerd started: the kernel says its parent is pid 1, the runtime link says containerd.`,
    view: { process: ref(c.shim), section: 'identity', query: '', framing: 'process' },
  }),
  (c) => ({
    title: 'The process tree',
    command: `pstree -c -p -A $(pgrep ${c.daemon?.name ?? 'dockerd'})`,
    answer: `${c.daemon?.name ?? 'dockerd'} → containerd → shim → ${c.init?.name ?? 'the container'}: pstree draws the branch on the left. Threads show as {name}(tid).`,
    view: { process: ref(c.daemon), section: 'threads', query: '', framing: 'container' },
  }),
  (c) => ({
    title: 'Its /proc directory',
    command: `ls /proc/${c.init?.pid ?? '$DBPID'}`,
    answer: 'Everything the kernel knows about the process is a file under /proc/PID: status, cmdline, environ, ns, cgroup, fd…',
    view: { process: ref(c.init), section: 'proc', query: '', framing: 'process' },
  }),
  (c) => ({
    title: 'Its environment, from /proc',
    command: `cat /proc/${c.init?.pid ?? '$DBPID'}/environ`,
    answer: 'The variables the process holds now (NUL-separated). A process may change or wipe them: redis-server zeroes its copy.',
    view: { process: ref(c.init), section: 'environ', query: '', framing: 'process' },
  }),
  (c) => ({
    title: 'The same, from inside',
    command: `docker exec -it ${c.name} env`,
    answer: 'docker exec starts a new process in the container with the configured environment, plus HOSTNAME, HOME and TERM set as it starts.',
    view: { process: ref(c.init), section: 'configured-env', query: '', framing: 'process' },
  }),
];

export const LESSON_LENGTH = STEPS.length;

/** The container the lesson is about: the one selected, else `db`, else the first running one. Pure. */
export function pickLessonContainer(selected: ContainerInfo | null, containers: readonly ContainerInfo[]): ContainerInfo | null {
  return selected ?? containers.find((c) => c.name === 'db' && c.state === 'running') ?? containers.find((c) => c.state === 'running') ?? null;
}

/** A step's text and the view it sets, for the chosen container. Pure. */
export function buildLessonStep(index: number, world: LessonWorld): LessonStep & { view: LessonView } {
  const def = STEPS[Math.min(Math.max(0, index), STEPS.length - 1)] as StepDef;
  const step = def(cast(world));
  return { ...step, view: { ...step.view, container: world.container?.name ?? null } };
}
