import { useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';

/** An element's size in CSS px, kept up to date (a pane opening, the window resizing). */
export function useElementSize(ref: RefObject<HTMLElement | null>): { width: number; height: number } | null {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = (): void => {
      const { width, height } = element.getBoundingClientRect();
      setSize((old) => (old && Math.round(old.width) === Math.round(width) && Math.round(old.height) === Math.round(height) ? old : { width, height }));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
