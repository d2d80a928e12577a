import { useEffect, useState } from 'react';

/**
 * The page's clock (fades and toasts expire by it). It ticks every `everyMs` only while
 * `changing(now)` says something on the page still changes with time; new arrivals are always
 * newer than a stopped clock, so they start it again.
 */
export function useNow(everyMs: number, changing: (now: number) => boolean): number {
  const [now, setNow] = useState(() => Date.now());
  const active = changing(now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}
