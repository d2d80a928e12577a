import { useEffect, useState } from 'react';
import type { z } from 'zod';

export type JsonState<T> = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok'; value: T } | { kind: 'gone' } | { kind: 'error'; message: string };

/** Fetches a JSON endpoint, validates it with its schema, and refreshes it while mounted. */
export function useJson<T>(url: string | null, schema: z.ZodType<T>, refreshMs: number): JsonState<T> {
  const [state, setState] = useState<JsonState<T>>({ kind: 'idle' });
  useEffect(() => {
    if (url === null) return void setState({ kind: 'idle' });
    let cancelled = false;
    setState({ kind: 'loading' });
    const load = async (): Promise<void> => {
      try {
        const response = await fetch(url);
        if (cancelled) return;
        if (response.status === 404) return setState({ kind: 'gone' });
        if (!response.ok) return setState({ kind: 'error', message: `server answered ${response.status}` });
        const parsed = schema.safeParse(await response.json());
        if (cancelled) return;
        setState(parsed.success ? { kind: 'ok', value: parsed.data } : { kind: 'error', message: 'the server sent an unexpected answer' });
      } catch (err) {
        if (!cancelled) setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    };
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [url, schema, refreshMs]);
  return state;
}
