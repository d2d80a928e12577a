import type { Dispatch, RefObject } from 'react';
import { LESSON_LENGTH } from './lesson.ts';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.ts';
import type { ViewAction, ViewState } from './view-state.ts';

/** The dashboard's keys, each one a view action. */
export function useAppShortcuts(state: ViewState, dispatch: Dispatch<ViewAction>, searchRef: RefObject<HTMLInputElement | null>): void {
  const step = state.lessonStep;
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
    d: () => dispatch({ type: 'set-docker-focus', on: !state.dockerFocus }),
    l: () => dispatch({ type: 'set-lesson', step: state.lessonStep === null ? 0 : null }),
    // The arrows walk the lesson only while it is open; otherwise they scroll as usual.
    ...(step !== null
      ? {
          ArrowRight: () => dispatch({ type: 'set-lesson', step: Math.min(LESSON_LENGTH - 1, step + 1) }),
          ArrowLeft: () => dispatch({ type: 'set-lesson', step: Math.max(0, step - 1) }),
        }
      : {}),
    '?': () => dispatch({ type: 'set-help', on: !state.help }),
  });
}
