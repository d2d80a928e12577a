import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import { formatRollup } from './rollup.ts';
import type { Rollup } from './rollup.ts';
import { roleLabel } from './runtime-roles.ts';

/** The longest tag drawn beside a node; longer container names are cut with an ellipsis. */
const MAX_TAG = 28;
/** Average glyph width at the tree's font size, for sizing columns without measuring text. */
const CHAR_PX = 7.3;

export interface NodeLabel {
  /** `redis-server`, or `4*[sleep]` for a compacted group. */
  name: string;
  pid: string;
  threads: string | null;
  tag: string | null;
  /** Shown when the drawn parent is a runtime link: the kernel's parent, so the truth stays visible. */
  kernelNote: string | null;
  /** Namespaces it entered, as `pstree -S` marks them. */
  namespaces: string | null;
}

function cut(text: string): string {
  return text.length > MAX_TAG ? `${text.slice(0, MAX_TAG - 1)}…` : text;
}

/** Printable form of a kernel name: control characters (a newline in comm) shown as escapes. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** What a tree node says about its process (or group of identical processes). Pure. */
export function buildNodeLabel(p: ProcessInfo, containers: ReadonlyMap<string, ContainerInfo>, logical: boolean, groupSize: number | null): NodeLabel {
  const container = p.containerId ? containers.get(p.containerId) : undefined;
  const shimFor = p.shimOf ? containers.get(p.shimOf) : undefined;
  const roleTag = p.role === 'shim' || p.role === 'docker-init' || p.role === 'docker-proxy' || p.role === 'conmon' ? roleLabel(p.role) : null;
  const tag = container ? container.name : p.containerId ? p.containerId.slice(0, 12) : shimFor ? `shim of ${shimFor.name}` : roleTag;
  const name = printable(p.name);
  return {
    name: groupSize ? `${groupSize}*[${name}]` : name,
    pid: groupSize ? '' : `(${p.pid})`,
    threads: !groupSize && p.threads > 1 ? ` {${p.threads}}` : null,
    tag: tag ? ` ${cut(tag)}` : null,
    kernelNote: logical ? ` ppid ${p.ppid}` : null,
    namespaces: p.newNamespaces.length > 0 ? ` ⟨${p.newNamespaces.join(',')}⟩` : null,
  };
}

/** Approximate drawn width in px at text scale 1. */
export function measureNodeLabel(label: NodeLabel, hidden: Rollup | null): number {
  const parts = [label.name, label.pid, label.threads, label.tag, label.kernelNote, label.namespaces, hidden ? formatRollup(hidden) : null];
  return 16 + parts.reduce((n, part) => n + (part?.length ?? 0), 0) * CHAR_PX;
}
