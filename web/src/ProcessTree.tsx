import { memo, useEffect, useImperativeHandle, useRef } from 'react';
import type { Ref } from 'react';
import { select } from 'd3-selection';
import 'd3-transition';
import { zoom, zoomIdentity, zoomTransform } from 'd3-zoom';
import type { ZoomBehavior } from 'd3-zoom';
import type { Highlight } from './highlight.ts';
import type { LaidOutLink, LaidOutNode, TreeLayout } from './layout-tree.ts';
import { formatRollup } from './node-label.ts';
import { roleExplanation } from './runtime-roles.ts';

export interface ProcessTreeHandle {
  fit(): void;
  /** Pans and zooms so these pids fill the screen (at most a little above actual size). */
  focus(pids: readonly number[]): void;
  /** Pans, keeping the zoom, so that one process is on screen; does nothing if it already is. */
  reveal(pid: number): void;
  /** The drawn tree, for export. */
  svg(): SVGSVGElement | null;
}

interface Props {
  layout: TreeLayout;
  highlight: Highlight | null;
  selectedPid: number | null;
  matches: ReadonlySet<number>;
  /** Processes born this recently (ms) flash when they appear. */
  now: number;
  onSelect(pid: number): void;
  onToggle(pid: number): void;
  onToggleGroup(key: string): void;
  handle: Ref<ProcessTreeHandle>;
}

const MARGIN = 40;
const NEWBORN_MS = 3000;

/** The tree: React draws, d3-zoom pans and zooms by moving one `<g>`. */
export function ProcessTree({ layout, highlight, selectedPid, matches, now, onSelect, onToggle, onToggleGroup, handle }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const group = svg.querySelector<SVGGElement>('g.viewport');
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      .on('zoom', (event: { transform: { toString(): string } }) => group?.setAttribute('transform', event.transform.toString()));
    select(svg).call(behaviour).on('dblclick.zoom', null);
    zoomRef.current = behaviour;
    return () => void select(svg).on('.zoom', null);
  }, []);

  const showBox = (minX: number, maxX: number, minY: number, maxY: number, maxScale: number): void => {
    const svg = svgRef.current;
    const behaviour = zoomRef.current;
    if (!svg || !behaviour) return;
    const { width, height } = svg.getBoundingClientRect();
    const lastColumn = layoutRef.current.lastColumnWidth;
    const boxW = maxX - minX + lastColumn + 2 * MARGIN;
    const boxH = maxY - minY + 2 * MARGIN;
    const scale = Math.min(maxScale, width / boxW, height / boxH);
    const tx = (width - (maxX - minX + lastColumn) * scale) / 2 - minX * scale;
    const ty = (height - (maxY - minY) * scale) / 2 - minY * scale;
    select(svg).transition().duration(250).call(behaviour.transform, zoomIdentity.translate(tx, ty).scale(scale));
  };

  useImperativeHandle(handle, () => ({
    svg: () => svgRef.current,
    reveal: (pid) => {
      const svg = svgRef.current;
      const behaviour = zoomRef.current;
      const node = layoutRef.current.nodes.find((n) => n.process.pid === pid || n.group?.includes(pid));
      if (!svg || !behaviour || !node) return;
      const { width, height } = svg.getBoundingClientRect();
      const t = zoomTransform(svg);
      const [sx, sy] = t.apply([node.x, node.y]);
      if (sx >= 20 && sx + Math.min(300, node.labelWidth) * t.k <= width - 20 && sy >= 20 && sy <= height - 20) return;
      const scale = Math.max(t.k, 0.6);
      select(svg)
        .transition()
        .duration(300)
        .call(behaviour.transform, zoomIdentity.translate(width / 3 - node.x * scale, height / 2 - node.y * scale).scale(scale));
    },
    fit: () => {
      const b = layoutRef.current.bounds;
      showBox(b.minX, b.maxX, b.minY, b.maxY, 1);
    },
    focus: (pids) => {
      const wanted = new Set(pids);
      const nodes = layoutRef.current.nodes.filter((n) => wanted.has(n.process.pid));
      if (nodes.length === 0) return;
      const xs = nodes.map((n) => n.x);
      const ys = nodes.map((n) => n.y);
      showBox(Math.min(...xs), Math.max(...xs), Math.min(...ys) - 60, Math.max(...ys) + 60, 1.2);
    },
  }));

  return (
    <svg ref={svgRef} className="tree" data-testid="process-tree" role="tree" aria-label="Process tree">
      <g className="viewport">
        <g className="links">
          {layout.links.map((link) => (
            <TreeLink key={`${link.source.key}-${link.target.key}`} link={link} highlight={highlight} />
          ))}
        </g>
        <g className="nodes">
          {layout.nodes.map((node) => (
            <TreeNodeView
              key={node.key}
              node={node}
              selected={node.process.pid === selectedPid && !node.group}
              matched={matches.has(node.process.pid) || (node.group?.some((pid) => matches.has(pid)) ?? false)}
              newborn={now - node.process.startedAt < NEWBORN_MS}
              highlight={highlight}
              onSelect={onSelect}
              onToggle={onToggle}
              onToggleGroup={onToggleGroup}
            />
          ))}
        </g>
      </g>
    </svg>
  );
}

function highlightState(node: LaidOutNode, highlight: Highlight | null): 'member' | 'ancestor' | 'dim' | 'none' {
  if (!highlight) return 'none';
  const pids = node.group ?? [node.process.pid];
  if (pids.some((pid) => highlight.members.has(pid))) return 'member';
  if (pids.some((pid) => highlight.ancestors.has(pid))) return 'ancestor';
  return 'dim';
}

const TreeLink = memo(function TreeLink({ link, highlight }: { link: LaidOutLink; highlight: Highlight | null }) {
  const { source, target } = link;
  // Start after the parent's label, so that same-row links never run through text.
  const startX = Math.min(source.x + source.labelWidth + 4, target.x - 24);
  const midX = (startX + target.x) / 2;
  const state = highlightState(target, highlight);
  return (
    <path
      data-testid="tree-link"
      data-kind={link.logical ? 'logical' : 'kernel'}
      data-source={source.process.pid}
      data-target={target.group ? target.key : target.process.pid}
      className={`link ${link.logical ? 'logical' : 'kernel'} hl-${state}`}
      d={`M${startX},${source.y}C${midX},${source.y} ${midX},${target.y} ${target.x - 6},${target.y}`}
    />
  );
});

interface NodeProps {
  node: LaidOutNode;
  selected: boolean;
  matched: boolean;
  newborn: boolean;
  highlight: Highlight | null;
  onSelect(pid: number): void;
  onToggle(pid: number): void;
  onToggleGroup(key: string): void;
}

function tooltip(node: LaidOutNode): string {
  const p = node.process;
  if (node.group) return `${node.group.length} identical processes: ${node.group.join(', ')}\nClick to list them one by one.`;
  const lines = [p.argv.join(' ') || `[${p.name}]`, `pid ${p.pid} · ppid ${p.ppid}${node.logical ? ` · runtime parent ${p.logicalParent}` : ''}`];
  if (p.newNamespaces.length) lines.push(`own namespaces: ${p.newNamespaces.join(', ')}`);
  if (p.role) lines.push('', roleExplanation(p.role));
  return lines.join('\n');
}

const TreeNodeView = memo(function TreeNodeView({ node, selected, matched, newborn, highlight, onSelect, onToggle, onToggleGroup }: NodeProps) {
  const p = node.process;
  const state = highlightState(node, highlight);
  const label = node.label;
  const folded = node.hidden !== null && !node.group;
  const classes = [
    'node',
    `hl-${state}`,
    node.group ? 'group' : '',
    p.role ? `role-${p.role}` : '',
    p.containerId ? 'in-container' : '',
    selected ? 'selected' : '',
    matched ? 'match' : '',
    newborn ? 'newborn' : '',
    p.state === 'Z' ? 'zombie' : '',
  ];
  const activate = (): void => (node.group ? onToggleGroup(node.key) : onSelect(p.pid));
  return (
    <g
      className={classes.filter(Boolean).join(' ')}
      transform={`translate(${node.x},${node.y})`}
      data-testid={node.group ? 'tree-group' : 'tree-node'}
      data-pid={node.group ? undefined : p.pid}
      data-pids={node.group ? node.group.join(',') : undefined}
      data-name={p.name}
      data-container-id={p.containerId ?? undefined}
      data-highlight={state}
      data-namespaces={p.newNamespaces.join(',') || undefined}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={node.childCount > 0 ? !folded : undefined}
    >
      <title>{tooltip(node)}</title>
      <circle
        r={6}
        className={folded || node.group ? 'collapsed' : node.childCount > 0 ? 'expanded' : 'leaf'}
        onClick={(e) => {
          e.stopPropagation();
          if (node.group) onToggleGroup(node.key);
          else if (node.childCount > 0) onToggle(p.pid);
        }}
      />
      <text x={11} dy="0.32em" className="label" onClick={activate}>
        {label.name}
        <tspan className="pid">{label.pid}</tspan>
        {label.threads ? <tspan className="threads">{label.threads}</tspan> : null}
        {node.hidden ? <tspan className="hidden-count">{formatRollup(node.hidden)}</tspan> : null}
        {label.namespaces ? <tspan className="ns-badge">{label.namespaces}</tspan> : null}
        {label.tag ? <tspan className="tag">{label.tag}</tspan> : null}
        {label.kernelNote ? <tspan className="kernel-parent">{label.kernelNote}</tspan> : null}
      </text>
    </g>
  );
});
