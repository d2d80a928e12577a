import { useEffect, useLayoutEffect, useRef } from 'react';

/** Keys that work anywhere but in a text field (there, only Escape). */
export function useKeyboardShortcuts(bindings: Record<string, () => void>): void {
  const ref = useRef(bindings);
  // The newest bindings, without re-subscribing on every render.
  useLayoutEffect(() => {
    ref.current = bindings;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const typing = target?.tagName === 'INPUT' || target?.tagName === 'TEXTAREA';
      if (typing && event.key !== 'Escape') return;
      const action = ref.current[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export const SHORTCUTS: Array<[string, string]> = [
  ['/', 'search'],
  ['Enter', 'next match (in search)'],
  ['Esc', 'clear search and selection'],
  ['f', 'fit the tree to the screen'],
  ['v', 'switch runtime / kernel view'],
  ['t', 'show or hide kernel threads'],
  ['w', 'workshop mode (large type)'],
  ['d', 'Docker focus: only containers and the runtime'],
  ['l', 'the guided lesson'],
  ['←  →', 'lesson: previous / next step'],
  ['?', 'this help'],
];
