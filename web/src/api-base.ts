import { createContext, useContext } from 'react';

/**
 * Where the dashboard's data comes from. A single-host server serves one host at `/api` and
 * `/ws`; a hub serves each host at `/api/hosts/NAME` and `/ws?host=NAME`, with the same shapes,
 * so the dashboard itself does not know which it talks to.
 */
export interface ApiBase {
  api: string;
  ws: string;
}

export const SINGLE_HOST: ApiBase = { api: '/api', ws: '/ws' };

export function hostApiBase(name: string): ApiBase {
  return { api: `/api/hosts/${encodeURIComponent(name)}`, ws: `/ws?host=${encodeURIComponent(name)}` };
}

export const ApiBaseContext = createContext<ApiBase>(SINGLE_HOST);

export function useApiBase(): ApiBase {
  return useContext(ApiBaseContext);
}
