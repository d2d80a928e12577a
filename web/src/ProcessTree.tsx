import { memo, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Ref } from 'react';
import { select } from 'd3-selection';
import 'd3-transition';
import { zoom, zoomIdentity, zoomTransform } from 'd3-zoom';
import type { ZoomBehavior } from 'd3-zoom';
import type { Highlight } from './highlight.ts';
import type { LaidOutLink, LaidOutNode, TreeLayout } from './layout-tree.ts';
import { formatRollup } from './rollup.ts';
import { roleExplanation } from './runtime-roles.ts';

export interface ProcessTreeHandle {
  fit(): void;
  /** Pans and zooms so these pids fill the screen (at most a little above actual size). */
  focus(pids: readonly number[]): void;
  /** Pans, keeping the zoom, so that one process is on screen; does nothing if it already is. */
  reveal(pid: number): void;
  /** Draws every node (culling off) while `use` runs on the drawn tree, for export. */
  withEveryNode(draw: (svg: SVGSVGElement) => void | Promise<void>): Promise<void>;
}

interface Props {
  layout: TreeLayout;
  highlight: Highlight | null;
  selectedPid: number | null;
  matches: ReadonlySet<number>;
  /** Processes born this recently (ms) flash when they appear. */
  now: number;
  onSelect: (pid: number) => void;
  onToggle: (pid: number) => void;
  onToggleGroup: (key: string) => void;
  handle: Ref<ProcessTreeHandle>;
}

const MARGIN = 40;
const NEWBORN_MS = 3000;
/**
 * Above this many nodes only those on or near the screen are in the DOM: the browser repaints
 * every drawn label on each pan frame, and a busy host has thousands.
 */
const CULL_ABOVE = 1200;
/** Below this zoom, labels are unreadable anyway: draw circles and lines only. */
const LABELS_BELOW_SCALE = 0.3;

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function contains(outer: Box, inner: Box): boolean {
  return inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 && inner.y1 <= outer.y1;
}

/** The tree: React draws, d3-zoom pans and zooms by moving one `<g>`. */
export function ProcessTree({ layout, highlight, selectedPid, matches, now, onSelect, onToggle, onToggleGroup, handle }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const layoutRef = useRef(layout);
  useLayoutEffect(() => {
    layoutRef.current = layout;
  });
  // The region drawn when culling: the screen plus one screen around it, in tree coordinates.
  const [drawn, setDrawn] = useState<Box | null>(null);
  const drawnRef = useRef<Box | null>(null);
  const [cullingOff, setCullingOff] = useState(false);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const group = svg.querySelector<SVGGElement>('g.viewport');
    const onZoom = (event: { transform: { x: number; y: number; k: number; toString(): string } }): void => {
      const t = event.transform;
      group?.setAttribute('transform', t.toString());
      svg.classList.toggle('far', t.k < LABELS_BELOW_SCALE);
      const { width, height } = svg.getBoundingClientRect();
      const screen = { x0: -t.x / t.k, x1: (width - t.x) / t.k, y0: -t.y / t.k, y1: (height - t.y) / t.k };
      if (drawnRef.current && contains(drawnRef.current, screen)) return;
      const w = screen.x1 - screen.x0;
      const h = screen.y1 - screen.y0;
      drawnRef.current = { x0: screen.x0 - w, x1: screen.x1 + w, y0: screen.y0 - h, y1: screen.y1 + h };
      setDrawn(drawnRef.current);
    };
    const behaviour = zoom<SVGSVGElement, unknown>().scaleExtent([0.02, 4]).on('zoom', onZoom);
    select(svg).call(behaviour).on('dblclick.zoom', null);
    zoomRef.current = behaviour;
    onZoom({ transform: zoomTransform(svg) });
    return () => void select(svg).on('.zoom', null);
  }, []);

  const showBox = (minX: number, maxX: number, minY: number, maxY: number, maxScale: number, minScale = 0): void => {
    const svg = svgRef.current;
    const behaviour = zoomRef.current;
    if (!svg || !behaviour) return;
    const { width, height } = svg.getBoundingClientRect();
    const lastColumn = layoutRef.current.lastColumnWidth;
    const boxW = maxX - minX + lastColumn + 2 * MARGIN;
    const boxH = maxY - minY + 2 * MARGIN;
    const scale = Math.max(minScale, Math.min(maxScale, width / boxW, height / boxH));
    const tx = (width - (maxX - minX + lastColumn) * scale) / 2 - minX * scale;
    const ty = (height - (maxY - minY) * scale) / 2 - minY * scale;
    select(svg)
      .transition()
      .duration(250)
      .call((t) => behaviour.transform(t, zoomIdentity.translate(tx, ty).scale(scale)));
  };

  useImperativeHandle(handle, () => ({
    withEveryNode: async (draw) => {
      setCullingOff(true);
      // Two frames: one for React to commit every node, one for the browser to lay them out.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      try {
        if (svgRef.current) await draw(svgRef.current);
      } finally {
        setCullingOff(false);
      }
    },
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
        .call((tr) => behaviour.transform(tr, zoomIdentity.translate(width / 3 - node.x * scale, height / 2 - node.y * scale).scale(scale)));
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
      // Never so far out that the labels disappear: focusing is for reading.
      showBox(Math.min(...xs), Math.max(...xs), Math.min(...ys) - 60, Math.max(...ys) + 60, 1.2, LABELS_BELOW_SCALE);
    },
  }));

  const culling = !cullingOff && layout.nodes.length > CULL_ABOVE;
  // Until the first zoom event says where the screen is, a big tree draws nothing rather than all.
  const nodes = useMemo(
    () =>
      !culling
        ? layout.nodes
        : drawn
          ? layout.nodes.filter((n) => n.y >= drawn.y0 && n.y <= drawn.y1 && n.x + n.labelWidth >= drawn.x0 && n.x <= drawn.x1)
          : [],
    [culling, drawn, layout.nodes],
  );
  const links = useMemo(() => {
    if (!culling) return layout.links;
    const shown = new Set(nodes);
    return layout.links.filter((l) => shown.has(l.source) || shown.has(l.target));
  }, [culling, nodes, layout.links]);

  return (
    <svg
      ref={svgRef}
      className="tree"
      data-testid="process-tree"
      data-drawn={nodes.length}
      data-total={layout.nodes.length}
      role="tree"
      aria-label="Process tree"
    >
      <g className="viewport">
        <g className="links">
          {links.map((link) => (
            <TreeLink key={`${link.source.key}-${link.target.key}`} link={link} highlight={highlight} />
          ))}
        </g>
        <g className="nodes">
          {nodes.map((node) => (
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
  onSelect: (pid: number) => void;
  onToggle: (pid: number) => void;
  onToggleGroup: (key: string) => void;
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
