import { memo, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { Ref } from 'react';
import type { Highlight } from './highlight.ts';
import type { LaidOutLink, LaidOutNode, TreeLayout } from './layout-tree.ts';
import { TreeNodeView, highlightState } from './TreeNodeView.tsx';
import { buildLinkPath, buildOverviewPaths } from './tree-paths.ts';
import { useTreeCamera } from './use-tree-camera.ts';
import type { FrameRequest } from './use-tree-camera.ts';

export interface ProcessTreeHandle {
  /** Draws every node (no culling, no overview) while `draw` runs on the drawn tree, for export. */
  withEveryNode(draw: (svg: SVGSVGElement) => void | Promise<void>): Promise<void>;
}

interface Props {
  layout: TreeLayout;
  highlight: Highlight | null;
  selectedPid: number | null;
  matches: ReadonlySet<number>;
  /** Container ids whose branch pulses: they have just started. */
  pulsing: ReadonlySet<string>;
  /** When each departing pid was seen to exit (this page's clock). */
  departedAt: ReadonlyMap<number, number>;
  /** The snapshot's time: processes born within NEWBORN_MS of it flash. */
  now: number;
  frame: FrameRequest;
  size: { width: number; height: number } | null;
  onSelect: (pid: number) => void;
  onToggle: (pid: number) => void;
  /** A group or the Docker focus's `+N other processes` node was clicked. */
  onActivate: (node: LaidOutNode) => void;
  /** The person panned or zoomed (not the camera moving by itself): an audience page breaks away. */
  onUserMove?: () => void;
  handle: Ref<ProcessTreeHandle>;
}

const NEWBORN_MS = 3000;
/**
 * Above this many nodes only those on or near the screen are in the DOM: the browser repaints
 * every drawn label on each pan frame, and a busy host has thousands.
 */
const CULL_ABOVE = 600;

/** The tree: React draws, the camera hook pans and zooms by moving one `<g>`. */
export function ProcessTree({
  layout,
  highlight,
  selectedPid,
  matches,
  pulsing,
  departedAt,
  now,
  frame,
  size,
  onSelect,
  onToggle,
  onActivate,
  onUserMove,
  handle,
}: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const { region, far } = useTreeCamera(svgRef, layout, frame, size, onUserMove);
  const [everyNode, setEveryNode] = useState(false);

  useImperativeHandle(handle, () => ({
    withEveryNode: async (draw) => {
      setEveryNode(true);
      // Two frames: one for React to commit every node, one for the browser to lay them out.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      try {
        if (svgRef.current) await draw(svgRef.current);
      } finally {
        setEveryNode(false);
      }
    },
  }));

  const overview = far && !everyNode;
  const culling = !everyNode && layout.nodes.length > CULL_ABOVE;
  // Until the first zoom event says where the screen is, a big tree draws nothing rather than all.
  const nodes = useMemo(() => {
    if (overview) return [];
    const near = !culling
      ? [...layout.nodes]
      : region
        ? layout.nodes.filter((n) => n.y >= region.y0 && n.y <= region.y1 && n.x + n.labelWidth >= region.x0 && n.x <= region.x1)
        : [];
    // A stable order, not the layout's: React then never moves a node in the DOM when the tree is
    // reordered, and moving it would restart its fade or pulse (CSS animations restart on insertion).
    return near.sort((a, b) => a.process.pid - b.process.pid || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }, [overview, culling, region, layout.nodes]);
  const links = useMemo(() => {
    if (overview) return [];
    const shown = new Set(nodes);
    const near = culling ? layout.links.filter((l) => shown.has(l.source) || shown.has(l.target)) : [...layout.links];
    return near.sort((a, b) => a.target.process.pid - b.target.process.pid || (a.target.key < b.target.key ? -1 : 1));
  }, [overview, culling, nodes, layout.links]);

  return (
    <svg
      ref={svgRef}
      className={`tree ${layout.mode}${overview ? ' far' : ''}`}
      data-testid="process-tree"
      data-drawn={nodes.length}
      data-total={layout.nodes.length}
      data-mode={layout.mode}
      role="tree"
      aria-label="Process tree"
    >
      <g className="viewport">
        {overview ? <Overview layout={layout} highlight={highlight} selectedPid={selectedPid} matches={matches} /> : null}
        <g className="links">
          {links.map((link) => (
            <TreeLink key={`${link.source.key}-${link.target.key}`} link={link} mode={layout.mode} highlight={highlight} />
          ))}
        </g>
        <g className="nodes">
          {nodes.map((node) => {
            const pids = node.group ?? (node.kind === 'process' ? [node.process.pid] : []);
            const containerId = node.process.containerId ?? node.process.shimOf;
            return (
              <TreeNodeView
                key={node.key}
                node={node}
                selected={node.kind === 'process' && node.process.pid === selectedPid}
                matched={pids.reduce((n, pid) => n + (matches.has(pid) ? 1 : 0), 0)}
                newborn={node.kind === 'process' && !node.departing && now - node.process.startedAt < NEWBORN_MS}
                pulse={node.kind !== 'others' && containerId !== null && pulsing.has(containerId)}
                departedAt={node.departing ? (departedAt.get(node.process.pid) ?? null) : null}
                highlight={highlightState(node, highlight)}
                onSelect={onSelect}
                onToggle={onToggle}
                onActivate={onActivate}
              />
            );
          })}
        </g>
      </g>
    </svg>
  );
}

const TreeLink = memo(function TreeLink({ link, mode, highlight }: { link: LaidOutLink; mode: TreeLayout['mode']; highlight: Highlight | null }) {
  const { source, target } = link;
  return (
    <path
      data-testid="tree-link"
      data-kind={link.logical ? 'logical' : 'kernel'}
      data-source={source.process.pid}
      data-target={target.kind === 'process' ? target.process.pid : target.key}
      className={`link ${link.logical ? 'logical' : 'kernel'} hl-${highlightState(target, highlight)}${target.departing ? ' departing' : ''}`}
      d={buildLinkPath(link, mode)}
    />
  );
});

/** Zoomed far out: every link in one path, every node a square in another, the marked ones in a third. */
const Overview = memo(function Overview({
  layout,
  highlight,
  selectedPid,
  matches,
}: {
  layout: TreeLayout;
  highlight: Highlight | null;
  selectedPid: number | null;
  matches: ReadonlySet<number>;
}) {
  const paths = useMemo(
    () =>
      buildOverviewPaths(layout, (n) => {
        const pids = n.group ?? [n.process.pid];
        return n.kind !== 'others' && pids.some((pid) => pid === selectedPid || matches.has(pid) || highlight?.members.has(pid) === true);
      }),
    [layout, highlight, selectedPid, matches],
  );
  return (
    <g className="overview" data-testid="tree-overview">
      <path className="link" d={paths.links} />
      <path className="dots" d={paths.dots} />
      <path className="marks" d={paths.marks} />
    </g>
  );
});
