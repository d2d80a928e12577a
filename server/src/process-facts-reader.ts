import { readdirSync, readlinkSync } from 'node:fs';
import { containerFromCgroup, parseCgroup, parseCmdline, parseStatBytes, parseStatusIds } from '@proclens/shared';
import type { Stat } from '@proclens/shared';
import { ProcFileReader, READ_GONE, decodeUtf8 } from './proc-file-reader.ts';

/** The namespaces compared with the parent's, as `pstree -S` does. */
export const NAMESPACE_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'] as const;
export type NamespaceType = (typeof NAMESPACE_TYPES)[number];
/** Namespace inode by type; an unreadable link is left out. Shared between processes: never mutated. */
export type Namespaces = ReadonlyMap<NamespaceType, number>;

/** Status lines the scanner wants, found with the newline before them (not `RUid:` and the like). */
const STATUS_KEYS = ['\nUid:', '\nNSpid:'];
/** Past this many entries a cache is dropped and refilled: a bound, not an eviction policy. */
const CACHE_LIMIT = 4096;

/** What is read once per process identity, beyond `stat` and `cmdline`. */
export interface Identity {
  uid: number | null;
  nspid: number[];
  containerId: string | null;
}

/**
 * Reads one process's facts from a `/proc` root through one reused buffer. Most processes share
 * their cgroup file, command line and namespaces with many others (5,000 `sleep 600` are one
 * cgroup, one argv, one namespace set), so each distinct value is parsed and held once: a cold
 * scan parses less, and 10,000 processes hold a few hundred small objects instead of 30,000.
 */
export class ProcessFactsReader {
  private readonly file = new ProcFileReader();
  private readonly containers = new Map<string, string | null>();
  private readonly argvs = new Map<string, string[]>();
  private readonly namespaceSets = new Map<string, Namespaces>();
  private links = 0;

  constructor(readonly procRoot: string) {}

  /** Files opened and links read so far. */
  get reads(): number {
    return this.file.opened + this.links;
  }

  /** The numeric names in the root, by number: every process. Throws when the root cannot be listed. */
  readPids(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.procRoot);
    } catch (err) {
      throw new Error(`cannot read ${this.procRoot}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return numericOrder(names);
  }

  /** `ns_last_pid`: the last pid the kernel handed out in the reader's pid namespace, or null. */
  readLastPid(): number | null {
    const n = this.file.read(`${this.procRoot}/sys/kernel/ns_last_pid`, true);
    if (n <= 0) return null;
    const pid = toPid(this.file.latin1(n).trim());
    return pid >= 0 ? pid : null;
  }

  /** null when the process is gone (or exited mid-read). */
  readStat(pid: number): Stat | null {
    const n = this.file.read(`${this.procRoot}/${pid}/stat`, true);
    return n > 0 ? parseStatBytes(this.file.buffer, n, decodeUtf8) : null;
  }

  /** argv, or null when the process is gone. A permission error reads as an empty argv. */
  readArgv(pid: number): string[] | null {
    const n = this.file.read(`${this.procRoot}/${pid}/cmdline`, false);
    if (n < 0) return n === READ_GONE ? null : [];
    const text = this.file.text(n);
    let argv = this.argvs.get(text);
    if (!argv) {
      argv = parseCmdline(text);
      if (this.argvs.size >= CACHE_LIMIT) this.argvs.clear();
      this.argvs.set(text, argv);
    }
    return argv;
  }

  /** uid and NSpid (status) and the container (cgroup); null when the process is gone. */
  readIdentity(pid: number): Identity | null {
    const base = `${this.procRoot}/${pid}`;
    const statusLength = this.file.read(`${base}/status`, true);
    if (statusLength === READ_GONE) return null;
    const ids = statusLength >= 0 ? parseStatusIds(this.statusLines(statusLength)) : null;
    const cgroupLength = this.file.read(`${base}/cgroup`, true);
    if (cgroupLength === READ_GONE) return null;
    return {
      uid: ids?.uid ?? null,
      nspid: ids?.nspid.length ? ids.nspid : [pid],
      containerId: cgroupLength >= 0 ? this.containerOf(this.file.text(cgroupLength)) : null,
    };
  }

  /**
   * The `Uid:` and `NSpid:` lines of the status file just read, as text: status is ~1.4 KB and
   * only these two lines are wanted, so only they become a string. They are ASCII whatever the
   * process's name holds, so Latin-1 reads them.
   */
  private statusLines(length: number): string {
    const buffer = this.file.buffer.subarray(0, length);
    let text = '';
    for (const key of STATUS_KEYS) {
      const at = buffer.indexOf(key);
      if (at < 0) continue;
      const end = buffer.indexOf(0x0a, at + 1);
      text += buffer.toString('latin1', at + 1, end < 0 ? length : end + 1);
    }
    return text;
  }

  /** The namespace links of a process (one shared object per distinct set). */
  readNamespaces(pid: number): Namespaces {
    // The links read `net:[4026531840]`: the inodes alone make the set's key.
    let key = '';
    for (const type of NAMESPACE_TYPES) {
      const link = this.readLink(`${this.procRoot}/${pid}/ns/${type}`);
      key += link === null ? ' -' : ` ${link.slice(link.indexOf('[') + 1, -1)}`;
    }
    let set = this.namespaceSets.get(key);
    if (!set) {
      const inodes = key.slice(1).split(' ');
      const found = new Map<NamespaceType, number>();
      NAMESPACE_TYPES.forEach((type, i) => {
        const inode = Number(inodes[i]);
        if (Number.isSafeInteger(inode) && inode > 0) found.set(type, inode);
      });
      set = found;
      if (this.namespaceSets.size >= CACHE_LIMIT) this.namespaceSets.clear();
      this.namespaceSets.set(key, set);
    }
    return set;
  }

  private readLink(path: string): string | null {
    this.links++;
    try {
      return readlinkSync(path);
    } catch {
      return null;
    }
  }

  private containerOf(cgroup: string): string | null {
    let id = this.containers.get(cgroup);
    if (id === undefined) {
      id = containerFromCgroup(parseCgroup(cgroup))?.id ?? null;
      if (this.containers.size >= CACHE_LIMIT) this.containers.clear();
      this.containers.set(cgroup, id);
    }
    return id;
  }
}

/**
 * The pids among directory names, in numeric order. libuv hands readdir's names over sorted as
 * strings, and names of the same length sort the same as strings and as numbers: so pids grouped
 * by length, shortest first, keep that order without a sort. Any other order is sorted.
 */
function numericOrder(names: readonly string[]): number[] {
  const byLength: number[][] = [];
  let sorted = true;
  for (const name of names) {
    const pid = toPid(name);
    if (pid < 0) continue;
    const group = (byLength[name.length] ??= []);
    if (group.length > 0 && (group[group.length - 1] as number) > pid) sorted = false;
    group.push(pid);
  }
  const pids = byLength.flat();
  return sorted ? pids : pids.sort((a, b) => a - b);
}

/** `0`–`9` only, as a number; -1 for anything else (`self`, `sys`, …). No RegExp per entry. */
function toPid(name: string): number {
  if (name.length === 0 || name.length > 10) return -1;
  let value = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}
