import { useEffect, useState } from 'react';
import type { z } from 'zod';

export type JsonState<T> = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok'; value: T } | { kind: 'gone' } | { kind: 'error'; message: string };

/** Fetches a JSON endpoint, validates it with its schema, and refreshes it while mounted. */
export function useJson<T>(url: string | null, schema: z.ZodType<T>, refreshMs: number): JsonState<T> {
  // Each answer remembers the URL it belongs to, so a new URL reads as loading until its answer comes.
  const [answer, setAnswer] = useState<{ url: string; state: JsonState<T> } | null>(null);
  useEffect(() => {
    if (url === null) return;
    let cancelled = false;
    const settle = (state: JsonState<T>): void => {
      if (!cancelled) setAnswer({ url, state });
    };
    const load = async (): Promise<void> => {
      try {
        const response = await fetch(url);
        if (response.status === 404) return settle({ kind: 'gone' });
        if (!response.ok) return settle({ kind: 'error', message: `server answered ${response.status}` });
        const parsed = schema.safeParse(await response.json());
        settle(parsed.success ? { kind: 'ok', value: parsed.data } : { kind: 'error', message: 'the server sent an unexpected answer' });
      } catch (err) {
        settle({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    };
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [url, schema, refreshMs]);
  if (url === null) return { kind: 'idle' };
  return answer?.url === url ? answer.state : { kind: 'loading' };
}
