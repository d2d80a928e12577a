import type { Dispatch, RefObject } from 'react';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.ts';
import type { ViewAction, ViewState } from './view-state.ts';

/** The dashboard's keys, each one a view action. */
export function useAppShortcuts(state: ViewState, dispatch: Dispatch<ViewAction>, searchRef: RefObject<HTMLInputElement | null>): void {
  useKeyboardShortcuts({
    '/': () => searchRef.current?.focus(),
    Escape: () => {
      dispatch({ type: 'clear' });
      searchRef.current?.blur();
    },
    f: () => dispatch({ type: 'fit' }),
    v: () => dispatch({ type: 'toggle-view' }),
    t: () => dispatch({ type: 'set-kernel-threads', on: !state.kernelThreads }),
    w: () => dispatch({ type: 'set-workshop', on: !state.workshop }),
    '?': () => dispatch({ type: 'set-help', on: !state.help }),
  });
}
