import { useMemo } from 'react';
import { buildTree } from '@proclens/shared';
import type { ContainerInfo, ProcessInfo, Snapshot, TreeNode } from '@proclens/shared';
import { buildHighlight } from './highlight.ts';
import type { Highlight } from './highlight.ts';
import { layoutTree } from './layout-tree.ts';
import type { TreeLayout } from './layout-tree.ts';
import { searchProcesses } from './search-processes.ts';
import type { SearchResult } from './search-processes.ts';
import type { ViewState } from './view-state.ts';

const NO_PROCESSES: ProcessInfo[] = [];
const NO_CONTAINERS: ContainerInfo[] = [];

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
}

function parentMap(roots: readonly TreeNode[]): Map<number, number> {
  const parents = new Map<number, number>();
  const walk = (node: TreeNode): void => {
    for (const child of node.children) {
      parents.set(child.process.pid, node.process.pid);
      walk(child);
    }
  };
  roots.forEach(walk);
  return parents;
}

/** A container by id or name, as the URL or a click names it. */
export function findContainer(containers: readonly ContainerInfo[], ref: string | null): ContainerInfo | null {
  if (ref === null) return null;
  return containers.find((c) => c.id === ref) ?? containers.find((c) => c.name === ref) ?? null;
}

export function useTreeModel(snapshot: Snapshot | null, state: ViewState): TreeModel {
  const processes = snapshot?.processes ?? NO_PROCESSES;
  const containers = snapshot?.containers ?? NO_CONTAINERS;
  const { selection, query, view, kernelThreads, workshop } = state;
  const byPid = useMemo(() => new Map(processes.map((p) => [p.pid, p])), [processes]);
  const containersById = useMemo(() => new Map(containers.map((c) => [c.id, c])), [containers]);
  const selectedContainer = useMemo(() => findContainer(containers, state.container), [containers, state.container]);
  const candidate = selection ? byPid.get(selection.pid) : undefined;
  const selectedProcess = candidate && (selection?.startTime === null || candidate.startTime === selection?.startTime) ? candidate : null;
  const search = useMemo(() => searchProcesses(processes, containersById, query, kernelThreads), [processes, containersById, query, kernelThreads]);
  const matches = useMemo(() => new Set(search.pids), [search]);
  const selectedPid = selectedProcess?.pid ?? null;
  const keepVisible = useMemo(
    () => new Set([...(selectedContainer?.pids ?? []), ...search.pids, ...(selectedPid !== null ? [selectedPid] : [])]),
    [selectedContainer, search, selectedPid],
  );
  const roots = useMemo(() => buildTree(processes, { view, showKernelThreads: kernelThreads }), [processes, view, kernelThreads]);
  const parents = useMemo(() => parentMap(roots), [roots]);
  const collapsed = useMemo(() => new Set(state.folded), [state.folded]);
  const expandedGroups = useMemo(() => new Set(state.expandedGroups), [state.expandedGroups]);
  const layout = useMemo(
    () => layoutTree(roots, { containers: containersById, collapsed, expandedGroups, keepVisible, textScale: workshop ? 1.3 : 1 }),
    [roots, containersById, collapsed, expandedGroups, keepVisible, workshop],
  );
  const highlight = useMemo(() => buildHighlight(selectedContainer, layout), [selectedContainer, layout]);
  return { processes, containers, byPid, containersById, selectedContainer, selectedProcess, search, matches, roots, parents, layout, highlight };
}
