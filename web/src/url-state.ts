import type { ViewState } from './view-state.ts';

/** The part of the view state the address bar keeps, so a reload or a shared link restores the view. */
export type UrlState = Pick<ViewState, 'container' | 'view' | 'kernelThreads' | 'query' | 'lessonStep'> & {
  /** A bare pid: the URL cannot know the start time; the app binds it to the process it finds. */
  pid: number | null;
  /** null: the default (on in workshop mode). */
  dockerFocus: boolean | null;
};

/** Lesson steps, counted from 1 in the URL as on the page. */
const MAX_STEP = 99;

/** Parses `?pid=…&container=…&view=kernel&kthreads=1&focus=1&lesson=3&q=…`; ignores anything malformed. Pure. */
export function parseUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const pidText = params.get('pid') ?? '';
  const stepText = params.get('lesson') ?? '';
  const focus = params.get('focus');
  return {
    pid: /^\d{1,7}$/.test(pidText) ? Number(pidText) : null,
    container: params.get('container') || null,
    view: params.get('view') === 'kernel' ? 'kernel' : 'runtime',
    kernelThreads: params.get('kthreads') === '1',
    dockerFocus: focus === '1' ? true : focus === '0' ? false : null,
    lessonStep: /^\d{1,2}$/.test(stepText) && Number(stepText) >= 1 && Number(stepText) <= MAX_STEP ? Number(stepText) - 1 : null,
    query: (params.get('q') ?? '').slice(0, 200),
  };
}

/** The query string for a view state; the Docker focus only when it differs from the mode's default. Pure. */
export function formatUrlState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.selection) params.set('pid', String(state.selection.pid));
  if (state.container) params.set('container', state.container);
  if (state.view !== 'runtime') params.set('view', state.view);
  if (state.kernelThreads) params.set('kthreads', '1');
  if (state.dockerFocus !== state.workshop) params.set('focus', state.dockerFocus ? '1' : '0');
  if (state.lessonStep !== null) params.set('lesson', String(state.lessonStep + 1));
  if (state.query) params.set('q', state.query);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The view state a page opens with: the URL's choices over the browser's remembered preferences. Pure. */
export function buildInitialViewState(base: ViewState, url: UrlState, prefs: Pick<ViewState, 'theme' | 'workshop'>): ViewState {
  const selection = url.pid === null ? null : { pid: url.pid, startTime: null };
  return {
    ...base,
    ...prefs,
    selection,
    container: url.container,
    view: url.view,
    kernelThreads: url.kernelThreads,
    dockerFocus: url.dockerFocus ?? prefs.workshop,
    lessonStep: url.lessonStep,
    query: url.query,
    framing: selection ? 'process' : url.container ? 'container' : 'runtime',
  };
}
