import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import { roleLabel } from './runtime-roles.ts';

/** The longest tag drawn beside a node; longer container names are cut with an ellipsis. */
const MAX_TAG = 28;
/** Average glyph width at the tree's font size, for sizing columns without measuring text. */
const CHAR_PX = 7.3;

export interface NodeLabel {
  name: string;
  pid: string;
  threads: string | null;
  tag: string | null;
  /** Shown when the drawn parent is a runtime link: the kernel's parent, so the truth stays visible. */
  kernelNote: string | null;
}

function cut(text: string): string {
  return text.length > MAX_TAG ? `${text.slice(0, MAX_TAG - 1)}…` : text;
}

/** What a tree node says about its process. Pure. */
export function buildNodeLabel(p: ProcessInfo, containers: ReadonlyMap<string, ContainerInfo>, logical: boolean): NodeLabel {
  const container = p.containerId ? containers.get(p.containerId) : undefined;
  const shimFor = p.shimOf ? containers.get(p.shimOf) : undefined;
  const tag = container ? container.name : shimFor ? `shim of ${shimFor.name}` : p.role === 'shim' || p.role === 'docker-init' || p.role === 'docker-proxy' || p.role === 'conmon' ? roleLabel(p.role) : null;
  return {
    name: p.name,
    pid: `(${p.pid})`,
    threads: p.threads > 1 ? ` {${p.threads}}` : null,
    tag: tag ? ` ${cut(tag)}` : null,
    kernelNote: logical ? ` ppid ${p.ppid}` : null,
  };
}

/** Approximate drawn width in px. */
export function measureNodeLabel(label: NodeLabel, hidden: number): number {
  const text = label.name + label.pid + (label.threads ?? '') + (label.tag ?? '') + (label.kernelNote ?? '') + (hidden > 0 ? ` +${hidden}` : '');
  return 16 + text.length * CHAR_PX;
}
