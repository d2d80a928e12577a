import { processDetailSchema } from '@proclens/shared';
import type { ProcessDetail } from '@proclens/shared';
import { useApiBase } from './api-base.ts';
import { useJson } from './use-json.ts';
import type { JsonState } from './use-json.ts';

const REFRESH_MS = 2000;

/**
 * `/api/processes/:pid`, validated, refreshed while the pane is open. `at`: the moment the
 * dashboard shows when it is not the present (a replay, or a live host scrubbed back), answered
 * from the recorded row.
 */
export function useProcessDetail(pid: number | null, at: number | null = null): JsonState<ProcessDetail> {
  const { api } = useApiBase();
  return useJson(pid === null ? null : `${api}/processes/${pid}${at === null ? '' : `?at=${at}`}`, processDetailSchema, REFRESH_MS);
}
