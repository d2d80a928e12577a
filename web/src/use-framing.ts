import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
import type { ProcessTreeHandle } from './ProcessTree.tsx';
import type { TreeModel } from './use-tree-model.ts';
import type { ViewState } from './view-state.ts';

/** Moves the camera when the view state asks for something new to be framed. */
export function useFraming(treeRef: RefObject<ProcessTreeHandle | null>, model: TreeModel, state: ViewState): void {
  const { framing, selection, container, view, kernelThreads, workshop, fits } = state;
  const epoch = JSON.stringify([framing, selection?.pid ?? null, container, view, kernelThreads, workshop, fits]);
  const done = useRef<string | null>(null);
  const ready = model.layout.nodes.length > 0;
  const { selectedContainer, selectedProcess, processes, parents } = model;
  useEffect(() => {
    if (!ready || done.current === epoch) return;
    done.current = epoch;
    const tree = treeRef.current;
    if (!tree) return;
    if (framing === 'process' && selectedProcess) return tree.reveal(selectedProcess.pid);
    if (framing === 'container' && selectedContainer) {
      // The container with the runtime chain above it, but not the whole host under init.
      const framed = new Set(selectedContainer.pids);
      for (const pid of selectedContainer.pids) for (let p = parents.get(pid); p !== undefined && parents.has(p); p = parents.get(p)) framed.add(p);
      return tree.focus([...framed]);
    }
    const runtime = processes.filter((p) => p.role !== null || p.containerId !== null).map((p) => p.pid);
    if (framing !== 'everything' && runtime.length > 0) return tree.focus(runtime);
    tree.fit();
  }, [epoch, ready, framing, selectedContainer, selectedProcess, processes, parents, treeRef]);
}
