import type { TreeView } from '@proclens/shared';

/** What the address bar keeps, so a reload or a shared link restores the view. */
export interface UrlState {
  pid: number | null;
  container: string | null;
  view: TreeView;
  kernelThreads: boolean;
}

/** Parses `?pid=…&container=…&view=kernel&kthreads=1`; ignores anything malformed. Pure. */
export function parseUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const pidText = params.get('pid') ?? '';
  return {
    pid: /^\d{1,7}$/.test(pidText) ? Number(pidText) : null,
    container: params.get('container') || null,
    view: params.get('view') === 'kernel' ? 'kernel' : 'runtime',
    kernelThreads: params.get('kthreads') === '1',
  };
}

export function formatUrlState(state: UrlState): string {
  const params = new URLSearchParams();
  if (state.pid !== null) params.set('pid', String(state.pid));
  if (state.container) params.set('container', state.container);
  if (state.view !== 'runtime') params.set('view', state.view);
  if (state.kernelThreads) params.set('kthreads', '1');
  const text = params.toString();
  return text ? `?${text}` : '';
}
