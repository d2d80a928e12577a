import { useEffect, useState } from 'react';

export type Theme = 'dark' | 'light';

function stored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const value = window.localStorage.getItem(key);
    return allowed.includes(value as T) ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}

/** Theme and workshop mode (large type, high contrast), remembered in this browser. */
export function usePreferences(): { theme: Theme; setTheme(t: Theme): void; workshop: boolean; setWorkshop(w: boolean): void } {
  const [theme, setTheme] = useState<Theme>(() => stored('proclens.theme', ['dark', 'light'] as const, 'dark'));
  const [workshop, setWorkshop] = useState<boolean>(() => stored('proclens.workshop', ['on', 'off'] as const, 'off') === 'on');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.workshop = workshop ? 'on' : 'off';
    try {
      window.localStorage.setItem('proclens.theme', theme);
      window.localStorage.setItem('proclens.workshop', workshop ? 'on' : 'off');
    } catch {
      // Private windows may refuse storage: the choice just is not remembered.
    }
  }, [theme, workshop]);
  return { theme, setTheme, workshop, setWorkshop };
}
