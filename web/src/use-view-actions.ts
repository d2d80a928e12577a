import { useMemo } from 'react';
import type { Dispatch } from 'react';
import type { TreeModel } from './use-tree-model.ts';
import type { ViewAction, ViewState } from './view-state.ts';

/** The ancestors of these processes in the drawn tree: folded ones must open for them to be seen. */
export function ancestorsOf(pids: readonly number[], parents: ReadonlyMap<number, number>): number[] {
  const found = new Set<number>();
  for (const pid of pids) for (let p = parents.get(pid); p !== undefined && !found.has(p); p = parents.get(p)) found.add(p);
  return [...found];
}

export interface ViewActions {
  selectPid: (pid: number | null) => void;
  selectContainer: (ref: string | null) => void;
  jumpToMatch: (step: 1 | -1) => void;
}

/** Actions that need the tree to be built (a process identity, the folded ancestors to open). */
export function useViewActions(model: TreeModel, state: ViewState, dispatch: Dispatch<ViewAction>): ViewActions {
  const { byPid, parents, containers, search } = model;
  const { matchIndex } = state;
  return useMemo(
    () => ({
      selectPid: (pid) => {
        const process = pid === null ? null : { pid, startTime: byPid.get(pid)?.startTime ?? null };
        dispatch({ type: 'select-process', process, unfold: pid === null ? [] : ancestorsOf([pid], parents) });
      },
      selectContainer: (ref) => {
        const container = containers.find((c) => c.id === ref || c.name === ref);
        dispatch({ type: 'select-container', container: ref, unfold: container ? ancestorsOf(container.pids, parents) : [] });
      },
      jumpToMatch: (step) => {
        const count = search.pids.length;
        if (count === 0) return;
        const index = (((matchIndex + step) % count) + count) % count;
        const pid = search.pids[index] as number;
        dispatch({ type: 'jump-to-match', index, process: { pid, startTime: byPid.get(pid)?.startTime ?? null }, unfold: ancestorsOf([pid], parents) });
      },
    }),
    [byPid, parents, containers, search, matchIndex, dispatch],
  );
}
