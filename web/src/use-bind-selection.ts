import { useEffect } from 'react';
import type { Dispatch } from 'react';
import type { ProcessInfo } from '@proclens/shared';
import type { ProcessRef, ViewAction } from './view-state.ts';

/** A selection known by pid only (`?pid=`) binds to the process it finds, so a later reuse of the pid is not it. */
export function useBindSelection(selection: ProcessRef | null, byPid: ReadonlyMap<number, ProcessInfo>, dispatch: Dispatch<ViewAction>): void {
  const found = selection && selection.startTime === null ? byPid.get(selection.pid) : undefined;
  useEffect(() => {
    if (found) dispatch({ type: 'bind-selection', pid: found.pid, startTime: found.startTime });
  }, [found, dispatch]);
}
