import { memo, useEffect, useImperativeHandle, useRef } from 'react';
import type { Ref } from 'react';
import { select } from 'd3-selection';
import 'd3-transition';
import { zoom, zoomIdentity, zoomTransform } from 'd3-zoom';
import type { ZoomBehavior } from 'd3-zoom';
import type { Highlight } from './highlight.ts';
import type { LaidOutLink, LaidOutNode, TreeLayout } from './layout-tree.ts';

export interface ProcessTreeHandle {
  fit(): void;
  /** Pans and zooms so these pids fill the screen (at most a little above actual size). */
  focus(pids: readonly number[]): void;
  /** Pans, keeping the zoom, so that one process is on screen; does nothing if it already is. */
  reveal(pid: number): void;
}

interface Props {
  layout: TreeLayout;
  highlight: Highlight | null;
  selectedPid: number | null;
  onSelect(pid: number): void;
  onToggle(pid: number): void;
  handle: Ref<ProcessTreeHandle>;
}

const MARGIN = 40;

/** The tree: React draws, d3-zoom pans and zooms by moving one `<g>`. */
export function ProcessTree({ layout, highlight, selectedPid, onSelect, onToggle, handle }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const group = svg.querySelector<SVGGElement>('g.viewport');
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 3])
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
    select(svg).call(behaviour.transform, zoomIdentity.translate(tx, ty).scale(scale));
  };

  useImperativeHandle(handle, () => ({
    reveal: (pid) => {
      const svg = svgRef.current;
      const behaviour = zoomRef.current;
      const node = layoutRef.current.nodes.find((n) => n.process.pid === pid);
      if (!svg || !behaviour || !node) return;
      const { width, height } = svg.getBoundingClientRect();
      const t = zoomTransform(svg);
      const [sx, sy] = t.apply([node.x, node.y]);
      const labelWidth = Math.min(300, 16 + node.label.name.length * 8) * t.k;
      if (sx >= 20 && sx + labelWidth <= width - 20 && sy >= 20 && sy <= height - 20) return;
      const tx = width / 3 - node.x * t.k;
      const ty = height / 2 - node.y * t.k;
      select(svg).transition().duration(300).call(behaviour.transform, zoomIdentity.translate(tx, ty).scale(t.k));
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
            <TreeLink key={`${link.source.process.pid}-${link.target.process.pid}`} link={link} highlight={highlight} />
          ))}
        </g>
        <g className="nodes">
          {layout.nodes.map((node) => (
            <TreeNodeView
              key={node.process.pid}
              node={node}
              selected={node.process.pid === selectedPid}
              highlight={highlight}
              onSelect={onSelect}
              onToggle={onToggle}
            />
          ))}
        </g>
      </g>
    </svg>
  );
}


function highlightState(pid: number, highlight: Highlight | null): 'member' | 'ancestor' | 'dim' | 'none' {
  if (!highlight) return 'none';
  if (highlight.members.has(pid)) return 'member';
  if (highlight.ancestors.has(pid)) return 'ancestor';
  return 'dim';
}

const TreeLink = memo(function TreeLink({ link, highlight }: { link: LaidOutLink; highlight: Highlight | null }) {
  const { source, target } = link;
  // Start after the parent's label, so that same-row links never run through text.
  const startX = Math.min(source.x + source.labelWidth + 4, target.x - 24);
  const midX = (startX + target.x) / 2;
  const state = highlightState(target.process.pid, highlight);
  return (
    <path
      data-testid="tree-link"
      data-kind={link.logical ? 'logical' : 'kernel'}
      data-source={source.process.pid}
      data-target={target.process.pid}
      className={`link ${link.logical ? 'logical' : 'kernel'} hl-${state}`}
      d={`M${startX},${source.y}C${midX},${source.y} ${midX},${target.y} ${target.x - 6},${target.y}`}
    />
  );
});

interface NodeProps {
  node: LaidOutNode;
  selected: boolean;
  highlight: Highlight | null;
  onSelect(pid: number): void;
  onToggle(pid: number): void;
}

const TreeNodeView = memo(function TreeNodeView({ node, selected, highlight, onSelect, onToggle }: NodeProps) {
  const p = node.process;
  const state = highlightState(p.pid, highlight);
  const collapsed = node.hiddenDescendants > 0;
  const label = node.label;
  const classes = ['node', `hl-${state}`, p.role ? `role-${p.role}` : '', p.containerId ? 'in-container' : '', selected ? 'selected' : '', p.state === 'Z' ? 'zombie' : ''];
  return (
    <g
      className={classes.filter(Boolean).join(' ')}
      transform={`translate(${node.x},${node.y})`}
      data-testid="tree-node"
      data-pid={p.pid}
      data-name={p.name}
      data-highlight={state}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={node.childCount > 0 ? !collapsed : undefined}
    >
      <title>{`${p.argv.join(' ') || `[${p.name}]`}\npid ${p.pid} · ppid ${p.ppid}${node.logical ? ` · runtime parent ${p.logicalParent}` : ''}`}</title>
      <circle
        r={6}
        className={collapsed ? 'collapsed' : node.childCount > 0 ? 'expanded' : 'leaf'}
        onClick={(e) => {
          e.stopPropagation();
          if (node.childCount > 0) onToggle(p.pid);
        }}
      />
      <text x={11} dy="0.32em" className="label" onClick={() => onSelect(p.pid)}>
        {label.name}
        <tspan className="pid">{label.pid}</tspan>
        {label.threads ? <tspan className="threads">{label.threads}</tspan> : null}
        {collapsed ? <tspan className="hidden-count">{` +${node.hiddenDescendants}`}</tspan> : null}
        {label.tag ? <tspan className="tag">{label.tag}</tspan> : null}
        {label.kernelNote ? <tspan className="kernel-parent">{label.kernelNote}</tspan> : null}
      </text>
    </g>
  );
});
