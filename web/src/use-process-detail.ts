import { processDetailSchema } from '@proclens/shared';
import type { ProcessDetail } from '@proclens/shared';
import { useApiBase } from './api-base.ts';
import { useJson } from './use-json.ts';
import type { JsonState } from './use-json.ts';

const REFRESH_MS = 2000;

/** `/api/processes/:pid`, validated, refreshed while the pane is open. */
export function useProcessDetail(pid: number | null): JsonState<ProcessDetail> {
  const { api } = useApiBase();
  return useJson(pid === null ? null : `${api}/processes/${pid}`, processDetailSchema, REFRESH_MS);
}
