import { memo, useState } from 'react';
import type { Highlight } from './highlight.ts';
import type { LaidOutNode } from './layout-tree.ts';
import { LABEL_X } from './node-label.ts';
import { formatRollup } from './rollup.ts';
import { roleExplanation } from './runtime-roles.ts';
import { NODE_RADIUS } from './tree-paths.ts';

export type HighlightState = 'member' | 'ancestor' | 'dim' | 'none';

export function highlightState(node: LaidOutNode, highlight: Highlight | null): HighlightState {
  if (!highlight || node.kind === 'others') return highlight ? 'dim' : 'none';
  const pids = node.group ?? [node.process.pid];
  if (pids.some((pid) => highlight.members.has(pid))) return 'member';
  if (pids.some((pid) => highlight.ancestors.has(pid))) return 'ancestor';
  return 'dim';
}

interface Props {
  node: LaidOutNode;
  selected: boolean;
  /** Search matches this node draws (a group may hold many). */
  matched: number;
  newborn: boolean;
  /** Its container has just started. */
  pulse: boolean;
  /** When it was seen to exit (this page's clock), for a fade that survives being drawn again. */
  departedAt: number | null;
  highlight: HighlightState;
  onSelect: (pid: number) => void;
  onToggle: (pid: number) => void;
  onActivate: (node: LaidOutNode) => void;
}

function tooltip(node: LaidOutNode): string {
  const p = node.process;
  if (node.kind === 'others')
    return `${node.count} processes that are neither the container runtime nor in a container.\nClick to show them (Docker focus off).`;
  if (node.group)
    return `${node.group.length} identical processes: ${node.group.slice(0, 20).join(', ')}${node.group.length > 20 ? ', …' : ''}\nClick to list them.`;
  const lines = [p.argv.join(' ') || `[${p.name}]`, `pid ${p.pid} · ppid ${p.ppid}${node.logical ? ` · runtime parent ${p.logicalParent}` : ''}`];
  if (p.newNamespaces.length) lines.push(`own namespaces: ${p.newNamespaces.join(', ')}`);
  if (p.role) lines.push('', roleExplanation(p.role));
  return lines.join('\n');
}

/** One process (or group) in the tree: a circle that folds, a label that selects. */
export const TreeNodeView = memo(function TreeNodeView({
  node,
  selected,
  matched,
  newborn,
  pulse,
  departedAt,
  highlight,
  onSelect,
  onToggle,
  onActivate,
}: Props) {
  // A node drawn again part way through its fade (scrolled back into view, the tree reordered)
  // resumes the fade where it is instead of starting it over.
  const [mountedAt] = useState(() => Date.now());
  const lateBy = departedAt !== null && mountedAt > departedAt ? mountedAt - departedAt : 0;
  const p = node.process;
  const { label } = node;
  const folded = node.hidden !== null && node.kind === 'process';
  const classes = [
    'node',
    `hl-${highlight}`,
    node.kind === 'process' ? '' : node.kind,
    p.role && node.kind !== 'others' ? `role-${p.role}` : '',
    p.containerId && node.kind !== 'others' ? 'in-container' : '',
    selected ? 'selected' : '',
    matched > 0 ? 'match' : '',
    newborn ? 'newborn' : '',
    pulse ? 'pulse' : '',
    node.departing ? 'departing' : '',
    p.state === 'Z' ? 'zombie' : '',
  ];
  const activate = (): void => (node.kind === 'process' ? onSelect(p.pid) : onActivate(node));
  // A wrapped label says the rest on a second line, under the name.
  const second = (first: boolean) => (node.lines === 2 && first ? { x: LABEL_X, dy: '1.3em' } : {});
  const secondary = [
    [label.namespaces, 'ns-badge'],
    [label.tag, 'tag'],
    [label.kernelNote, 'kernel-parent'],
    [label.exit, 'exit-note'],
  ].filter((part): part is [string, string] => part[0] !== null);
  return (
    <g
      className={classes.filter(Boolean).join(' ')}
      transform={`translate(${node.x},${node.y})`}
      data-testid={node.kind === 'process' ? 'tree-node' : node.kind === 'group' ? 'tree-group' : 'tree-others'}
      data-pid={node.kind === 'process' ? p.pid : undefined}
      data-pids={node.group ? node.group.join(',') : undefined}
      data-key={node.key}
      data-name={node.kind === 'others' ? undefined : p.name}
      data-container-id={(node.kind !== 'others' && p.containerId) || undefined}
      data-highlight={highlight}
      data-namespaces={(node.kind !== 'others' && p.newNamespaces.join(',')) || undefined}
      data-departing={node.departing || undefined}
      style={lateBy > 0 ? { animationDelay: `-${lateBy}ms` } : undefined}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={node.childCount > 0 ? !folded : undefined}
    >
      <title>{tooltip(node)}</title>
      {pulse || newborn ? <circle r={NODE_RADIUS * 2.4} className="halo" /> : null}
      <circle
        r={NODE_RADIUS}
        className={folded || node.kind !== 'process' ? 'collapsed' : node.childCount > 0 ? 'expanded' : 'leaf'}
        onClick={(e) => {
          e.stopPropagation();
          if (node.kind !== 'process') onActivate(node);
          else if (node.childCount > 0) onToggle(p.pid);
        }}
      />
      <text x={LABEL_X} dy="0.32em" className="label" onClick={activate}>
        {label.name}
        <tspan className="pid">{label.pid}</tspan>
        {label.threads ? <tspan className="threads">{label.threads}</tspan> : null}
        {node.hidden ? <tspan className="hidden-count">{formatRollup(node.hidden)}</tspan> : null}
        {node.group && matched > 0 ? <tspan className="match-count">{` · ${matched} ${matched === 1 ? 'match' : 'matches'}`}</tspan> : null}
        {secondary.map(([text, className], i) => (
          <tspan key={className} className={className} {...second(i === 0)}>
            {node.lines === 2 && i === 0 ? text.trimStart() : text}
          </tspan>
        ))}
      </text>
    </g>
  );
});
