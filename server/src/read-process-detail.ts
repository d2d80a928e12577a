import { maskEnvironment, parseCgroup, parseCmdline, parseEnviron, parseStat, parseStatus } from '@proclens/shared';
import type { EnvironView, ProcessDetail, ProcessInfo } from '@proclens/shared';
import { readProcDir, readProcLink, readProcText } from './read-proc-file.ts';
import type { ProcRead } from './read-proc-file.ts';

type Denied = ProcessDetail['notPermitted'][number];

export interface DetailOptions {
  procRoot: string;
  revealSecrets: boolean;
}

/**
 * Reads what the detail pane shows for one process. `process` is its row from the latest
 * snapshot. Returns null when the process exited meanwhile (the caller answers 404).
 * Container fields are filled in by the caller, which knows the engine.
 */
export function readProcessDetail(process: ProcessInfo, options: DetailOptions): Omit<ProcessDetail, 'container' | 'containerEnv' | 'recordedAt'> | null {
  const base = `${options.procRoot}/${process.pid}`;
  const status = readProcText(`${base}/status`);
  if (!status.ok) return null;
  const parsed = parseStatus(status.value);
  const cmdline = readProcText(`${base}/cmdline`);
  const cgroup = readProcText(`${base}/cgroup`);
  // What the kernel refuses is said, not left blank: the pane tells "not permitted" from "none".
  const notPermitted = new Set<Denied>();
  const checked = <T>(what: Denied, read: ProcRead<T>): ProcRead<T> => {
    if (!read.ok && read.reason === 'denied') notPermitted.add(what);
    return read;
  };
  const exe = checked('exe', readProcLink(`${base}/exe`));
  const cwd = checked('cwd', readProcLink(`${base}/cwd`));
  const fds = checked('fd', readProcDir(`${base}/fd`));
  const environ = readEnviron(checked('environ', readProcText(`${base}/environ`)), options.revealSecrets);
  const namespaces = readNamespaces(options.procRoot, process.pid, () => notPermitted.add('ns'));
  return {
    process,
    argv: cmdline.ok ? parseCmdline(cmdline.value) : process.argv,
    exe: exe.ok ? exe.value : null,
    cwd: cwd.ok ? cwd.value : null,
    status: {
      nspid: parsed.nspid.length ? parsed.nspid : [process.pid],
      uid: parsed.uid,
      gid: parsed.gid,
      ppid: parsed.ppid,
      threads: parsed.threads,
      fields: parsed.fields,
    },
    cgroup: cgroup.ok ? parseCgroup(cgroup.value) : [],
    namespaces,
    environ,
    tasks: readTasks(base),
    entries: readEntries(base),
    fdCount: fds.ok ? fds.value.length : null,
    notPermitted: [...notPermitted].sort(),
  };
}

/** Threads beyond this many are not listed (a JVM may have thousands); the count is in `process`. */
const MAX_TASKS = 2000;

function readTasks(base: string): ProcessDetail['tasks'] {
  const dir = readProcDir(`${base}/task`);
  if (!dir.ok) return [];
  const tasks: ProcessDetail['tasks'] = [];
  for (const name of dir.value
    .filter((n) => /^\d+$/.test(n))
    .sort((a, b) => Number(a) - Number(b))
    .slice(0, MAX_TASKS)) {
    const text = readProcText(`${base}/task/${name}/stat`);
    const stat = text.ok ? parseStat(text.value) : null;
    if (stat) tasks.push({ tid: stat.pid, name: stat.comm, state: stat.state });
  }
  return tasks;
}

function readEntries(base: string): string[] {
  const dir = readProcDir(base);
  return dir.ok ? dir.value.sort() : [];
}

function readEnviron(text: ProcRead<string>, reveal: boolean): EnvironView {
  if (!text.ok) return { state: text.reason === 'denied' ? 'denied' : 'empty', vars: [] };
  const environ = parseEnviron(text.value);
  return { state: environ.state, vars: maskEnvironment(environ.vars, reveal) };
}

const NS_LINK = /^([a-z_]+):\[(\d+)\]$/;

/**
 * `ls -l /proc/PID/ns`, compared with the host's to tell which namespaces it shares. The host's
 * are kthreadd's (pid 2): kernel threads never leave the initial namespaces, and pid 1's links
 * may be unreadable even for root.
 *
 * Listing another user's `ns/` needs read permission on it (CAP_DAC_READ_SEARCH), reading a link
 * a ptrace check (CAP_SYS_PTRACE): each is refused on its own, so when only the listing is, the
 * kinds are taken from the server's own `ns/` (every process has the same kinds) and the links
 * are still read. `denied` is called when a link is refused.
 */
function readNamespaces(procRoot: string, pid: number, denied: () => void): ProcessDetail['namespaces'] {
  const own = readProcDir(`${procRoot}/${pid}/ns`);
  const dir = own.ok || own.reason !== 'denied' ? own : readProcDir(`${procRoot}/self/ns`);
  if (!dir.ok) {
    if (!own.ok && own.reason === 'denied') denied();
    return [];
  }
  return dir.value.sort().map((type) => {
    const link = readProcLink(`${procRoot}/${pid}/ns/${type}`);
    if (!link.ok && link.reason === 'denied') denied();
    const kthreadd = readProcLink(`${procRoot}/2/ns/${type}`);
    const host = kthreadd.ok ? kthreadd : readProcLink(`${procRoot}/1/ns/${type}`);
    const inode = link.ok ? Number(NS_LINK.exec(link.value)?.[2] ?? NaN) : NaN;
    return {
      type,
      inode: Number.isFinite(inode) ? inode : null,
      sharedWithHost: link.ok && host.ok ? link.value === host.value : null,
    };
  });
}
