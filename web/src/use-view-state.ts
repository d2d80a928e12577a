import { useEffect, useReducer } from 'react';
import type { Dispatch } from 'react';
import { buildInitialViewState, formatUrlState, parseUrlState } from './url-state.ts';
import { initialViewState, reduceView } from './view-state.ts';
import type { Theme, ViewAction, ViewState } from './view-state.ts';

const THEME_KEY = 'proclens.theme';
const WORKSHOP_KEY = 'proclens.workshop';

function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function readPreferences(): { theme: Theme; workshop: boolean } {
  return { theme: stored(THEME_KEY) === 'light' ? 'light' : 'dark', workshop: stored(WORKSHOP_KEY) === 'on' };
}

function init(): ViewState {
  return buildInitialViewState(initialViewState, parseUrlState(window.location.search), readPreferences());
}

/** The document wears the theme and the type size (workshop mode); both are remembered in this browser. */
function wearLook(theme: Theme, workshop: boolean): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.dataset.workshop = workshop ? 'on' : 'off';
  try {
    window.localStorage.setItem(THEME_KEY, theme);
    window.localStorage.setItem(WORKSHOP_KEY, workshop ? 'on' : 'off');
  } catch {
    // Private windows may refuse storage: the choice just is not remembered.
  }
}

/** A page without the dashboard (the hub's host list) in the theme and type size this browser chose. */
export function useRememberedLook(): void {
  useEffect(() => {
    const { theme, workshop } = readPreferences();
    wearLook(theme, workshop);
  }, []);
}

/**
 * The view state: opened from the URL and this browser's preferences, written back to the
 * address bar (so a reload or a shared link restores it) and to local storage (theme, workshop).
 */
export function useViewState(): [ViewState, Dispatch<ViewAction>] {
  const [state, dispatch] = useReducer(reduceView, undefined, init);
  const search = formatUrlState(state);
  useEffect(() => {
    if (window.location.search !== search) window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  }, [search]);
  const { theme, workshop } = state;
  useEffect(() => wearLook(theme, workshop), [theme, workshop]);
  return [state, dispatch];
}
