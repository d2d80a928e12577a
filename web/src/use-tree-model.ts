import { useMemo } from 'react';
import { buildTree } from '@proclens/shared';
import type { ContainerInfo, ProcessInfo, Snapshot, TreeNode } from '@proclens/shared';
import { buildFrameChain } from './build-frame-chain.ts';
import { FRAME_MARGIN } from './frame-box.ts';
import { measureWideChain } from './measure-wide-chain.ts';
import { buildHighlight } from './highlight.ts';
import type { Highlight } from './highlight.ts';
import { layoutTree } from './layout-tree.ts';
import type { LayoutOptions, TreeLayout } from './layout-tree.ts';
import { searchProcesses } from './search-processes.ts';
import type { SearchResult } from './search-processes.ts';
import { buildCanvasMeasure, treeType } from './tree-type.ts';
import type { TreeType } from './tree-type.ts';
import type { ViewState } from './view-state.ts';

const NO_PROCESSES: ProcessInfo[] = [];
const NO_CONTAINERS: ContainerInfo[] = [];
const MEASURES = new Map<boolean, ReturnType<typeof buildCanvasMeasure>>();

/** What the page draws, derived from the server's snapshot and the view state. */
export interface TreeModel {
  processes: readonly ProcessInfo[];
  containers: readonly ContainerInfo[];
  byPid: ReadonlyMap<number, ProcessInfo>;
  containersById: ReadonlyMap<string, ContainerInfo>;
  selectedContainer: ContainerInfo | null;
  /** The selected process, if it is still the one that was selected (same pid and start time). */
  selectedProcess: ProcessInfo | null;
  search: SearchResult;
  matches: ReadonlySet<number>;
  roots: readonly TreeNode[];
  /** Each drawn process's parent in the tree (runtime or kernel view). */
  parents: ReadonlyMap<number, number>;
  layout: TreeLayout;
  highlight: Highlight | null;
  /** The pids the camera frames; null for everything. */
  chain: number[] | null;
  type: TreeType;
}

/** Each drawn process's tree node, and its parent in the tree. */
function indexTree(roots: readonly TreeNode[]): { nodes: Map<number, TreeNode>; parents: Map<number, number> } {
  const nodes = new Map<number, TreeNode>();
  const parents = new Map<number, number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as TreeNode;
    nodes.set(node.process.pid, node);
    for (const child of node.children) {
      parents.set(child.process.pid, node.process.pid);
      stack.push(child);
    }
  }
  return { nodes, parents };
}

/** A container by id or name, as the URL or a click names it. */
export function findContainer(containers: readonly ContainerInfo[], ref: string | null): ContainerInfo | null {
  if (ref === null) return null;
  return containers.find((c) => c.id === ref) ?? containers.find((c) => c.name === ref) ?? null;
}

/** The wide layout, or the stacked one where the chain would not fit the area at readable size: one pass either way. */
function layoutForArea(
  roots: readonly TreeNode[],
  tree: { nodes: ReadonlyMap<number, TreeNode>; parents: ReadonlyMap<number, number> },
  options: LayoutOptions,
  chain: number[] | null,
  area: { width: number } | null,
  type: TreeType,
): TreeLayout {
  const wide = chain === null || area === null ? null : measureWideChain(chain, tree.nodes, tree.parents, options);
  const room = area === null ? Infinity : (area.width - 2 * FRAME_MARGIN) / type.minScale;
  if (!wide || wide.width <= room) return layoutTree(roots, { ...options, mode: 'wide', wrapAt: null });
  // Stacked, each level indents by about a row: labels wrap so that the deepest fits too.
  const span = wide.levels * Math.round(type.rowHeight * 0.9);
  return layoutTree(roots, { ...options, mode: 'stacked', wrapAt: Math.max(type.main * 12, room - span) });
}

export function useTreeModel(
  snapshot: Snapshot | null,
  departed: readonly ProcessInfo[],
  state: ViewState,
  area: { width: number; height: number } | null,
): TreeModel {
  const live = snapshot?.processes ?? NO_PROCESSES;
  const containers = snapshot?.containers ?? NO_CONTAINERS;
  const { selection, query, view, kernelThreads, workshop, dockerFocus, framing } = state;
  const byPid = useMemo(() => new Map(live.map((p) => [p.pid, p])), [live]);
  // Processes that just exited stay a moment, fading, unless their pid is already someone else's.
  const ghosts = useMemo(() => departed.filter((p) => !byPid.has(p.pid)), [departed, byPid]);
  const drawn = useMemo(() => (ghosts.length ? [...live, ...ghosts] : live), [live, ghosts]);
  const departing = useMemo(() => new Set(ghosts.map((p) => p.pid)), [ghosts]);
  const containersById = useMemo(() => new Map(containers.map((c) => [c.id, c])), [containers]);
  const selectedContainer = useMemo(() => findContainer(containers, state.container), [containers, state.container]);
  const candidate = selection ? byPid.get(selection.pid) : undefined;
  const selectedProcess = candidate && (selection?.startTime === null || candidate.startTime === selection?.startTime) ? candidate : null;
  const search = useMemo(() => searchProcesses(live, containersById, query, kernelThreads), [live, containersById, query, kernelThreads]);
  const matches = useMemo(() => new Set(search.pids), [search]);
  const selectedPid = selectedProcess?.pid ?? null;
  const roots = useMemo(() => buildTree(drawn, { view, showKernelThreads: kernelThreads }), [drawn, view, kernelThreads]);
  const tree = useMemo(() => indexTree(roots), [roots]);
  const parents = tree.parents;
  const drawnByPid = useMemo(() => (ghosts.length ? new Map(drawn.map((p) => [p.pid, p])) : byPid), [ghosts, drawn, byPid]);
  const chain = useMemo(
    () => buildFrameChain({ framing, process: selectedProcess, container: selectedContainer, containers, byPid: drawnByPid, parents }),
    [framing, selectedProcess, selectedContainer, containers, drawnByPid, parents],
  );
  const type = treeType(workshop);
  let measure = MEASURES.get(workshop);
  if (!measure) MEASURES.set(workshop, (measure = buildCanvasMeasure(type)));
  const options = useMemo((): LayoutOptions => {
    const pinned = new Set(selectedPid !== null ? [selectedPid] : []);
    return {
      containers: containersById,
      collapsed: new Set(state.folded),
      expandedGroups: new Set(state.expandedGroups),
      keepVisible: new Set([...(selectedContainer?.pids ?? []), ...search.pids, ...pinned]),
      pinned,
      first: new Set(chain ?? []),
      focus: dockerFocus ? new Set(drawn.filter((p) => p.role !== null || p.containerId !== null || p.shimOf !== null).map((p) => p.pid)) : null,
      departing,
      mode: 'wide',
      measure: measure,
      rowHeight: type.rowHeight,
      wrapAt: null,
    };
  }, [containersById, state.folded, state.expandedGroups, selectedContainer, search, selectedPid, chain, dockerFocus, drawn, departing, measure, type]);
  const width = area?.width ?? null;
  const layout = useMemo(
    () => layoutForArea(roots, tree, options, framing === 'everything' ? null : chain, width === null ? null : { width }, type),
    [roots, tree, options, framing, chain, width, type],
  );
  const highlight = useMemo(() => buildHighlight(selectedContainer, layout), [selectedContainer, layout]);
  return {
    processes: live,
    containers,
    byPid,
    containersById,
    selectedContainer,
    selectedProcess,
    search,
    matches,
    roots,
    parents,
    layout,
    highlight,
    chain,
    type,
  };
}
