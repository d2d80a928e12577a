import type { ContainerInfo, ProcessInfo, RuntimeRole } from '@proclens/shared';
import { formatRollup } from './rollup.ts';
import type { Rollup } from './rollup.ts';
import { roleLabel } from './runtime-roles.ts';

/** The longest tag drawn beside a node; longer container names are cut with an ellipsis. */
const MAX_TAG = 28;
/** Room for the circle before the text starts (the text's `x`). */
export const LABEL_X = 11;
/** Roles whose process name alone does not say what they are (rootlesskit's child is `exe`). */
const TAGGED_ROLES: ReadonlySet<RuntimeRole> = new Set(['shim', 'docker-init', 'docker-proxy', 'conmon', 'rootlesskit']);

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
  /** For a process that has just exited: ` exited`, or ` exited (137)` when its container says. */
  exit: string | null;
}

/**
 * Width of a piece of label text in tree units (CSS px at zoom 1). `small`: the secondary parts
 * (threads, tags, badges), which some themes draw in a smaller type.
 */
export type MeasureText = (text: string, small: boolean) => number;

function cut(text: string): string {
  return text.length > MAX_TAG ? `${text.slice(0, MAX_TAG - 1)}…` : text;
}

/** Printable form of a kernel name: control characters (a newline in comm) shown as escapes. */
export function printable(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** What a tree node says about its process (or group of identical processes). Pure. */
export function buildNodeLabel(
  p: ProcessInfo,
  containers: ReadonlyMap<string, ContainerInfo>,
  logical: boolean,
  groupSize: number | null,
  departing = false,
): NodeLabel {
  const container = p.containerId ? containers.get(p.containerId) : undefined;
  const shimFor = p.shimOf ? containers.get(p.shimOf) : undefined;
  const roleTag = p.role && TAGGED_ROLES.has(p.role) ? roleLabel(p.role) : null;
  const tag = container
    ? container.name
    : p.containerId
      ? p.containerId.slice(0, 12)
      : shimFor
        ? `${p.role === 'conmon' ? 'conmon' : 'shim'} of ${shimFor.name}`
        : roleTag;
  const name = printable(p.name);
  // The container's exit code belongs to its init: pid 1 in its pid namespace (a stopped container no longer names its pid).
  const isInit = container !== undefined && (container.pid === p.pid || (p.nspid.length > 1 && p.nspid[p.nspid.length - 1] === 1));
  const exitCode = departing && container && isInit && container.exitCode !== null ? container.exitCode : null;
  return {
    name: groupSize ? `${groupSize}*[${name}]` : name,
    pid: groupSize ? '' : `(${p.pid})`,
    threads: !groupSize && p.threads > 1 ? ` {${p.threads}}` : null,
    tag: tag ? ` ${cut(tag)}` : null,
    kernelNote: logical ? ` ppid ${p.ppid}` : null,
    namespaces: p.newNamespaces.length > 0 ? ` ⟨${p.newNamespaces.join(',')}⟩` : null,
    exit: departing ? (exitCode === null ? ' exited' : ` exited (${exitCode})`) : null,
  };
}

/** Drawn widths of the label on one line, and of each line when wrapped, from the circle's centre. */
export function measureNodeLabel(label: NodeLabel, hidden: Rollup | null, measure: MeasureText): { oneLine: number; first: number; second: number } {
  // Called for every node of a big host: sums directly, no intermediate arrays.
  let a = measure(label.name + label.pid, false);
  if (label.threads) a += measure(label.threads, true);
  if (hidden) a += measure(formatRollup(hidden), false);
  let b = 0;
  if (label.namespaces) b += measure(label.namespaces, true);
  if (label.tag) b += measure(label.tag, true);
  if (label.kernelNote) b += measure(label.kernelNote, true);
  if (label.exit) b += measure(label.exit, true);
  return { oneLine: LABEL_X + a + b, first: LABEL_X + a, second: b === 0 ? 0 : LABEL_X + b };
}

/** A measure for tests and Node: every glyph the same width. */
export function monospaceMeasure(px: number, smallPx = px): MeasureText {
  return (text, small) => text.length * (small ? smallPx : px);
}
