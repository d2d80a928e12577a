import { useEffect, useState } from 'react';
import { processDetailSchema } from '@proclens/shared';
import type { ProcessDetail } from '@proclens/shared';

const REFRESH_MS = 2000;

export type DetailState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ok'; detail: ProcessDetail }
  | { kind: 'gone' }
  | { kind: 'error'; message: string };

/** Fetches `/api/processes/:pid`, validates it, and refreshes it while the pane is open. */
export function useProcessDetail(pid: number | null): DetailState {
  const [state, setState] = useState<DetailState>({ kind: 'idle' });
  useEffect(() => {
    if (pid === null) return void setState({ kind: 'idle' });
    let cancelled = false;
    setState({ kind: 'loading' });
    const load = async (): Promise<void> => {
      try {
        const response = await fetch(`/api/processes/${pid}`);
        if (cancelled) return;
        if (response.status === 404) return setState({ kind: 'gone' });
        if (!response.ok) return setState({ kind: 'error', message: `server answered ${response.status}` });
        const parsed = processDetailSchema.safeParse(await response.json());
        if (cancelled) return;
        setState(parsed.success ? { kind: 'ok', detail: parsed.data } : { kind: 'error', message: 'the server sent an unexpected answer' });
      } catch (err) {
        if (!cancelled) setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [pid]);
  return state;
}
