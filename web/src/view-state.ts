import type { SharedView, TreeView } from '@proclens/shared';
import { applySharedView } from './shared-view-state.ts';

export type Theme = 'dark' | 'light';

/** Sections of the detail pane a lesson step can point at. */
export const DETAIL_SECTIONS = [
  'identity',
  'command',
  'container',
  'ancestry',
  'threads',
  'proc',
  'namespaces',
  'cgroup',
  'environ',
  'configured-env',
] as const;
export type DetailSection = (typeof DETAIL_SECTIONS)[number];

/**
 * A process, not a pid: the kernel reuses pids, and a reused pid is another process. `startTime`
 * is null while the process is known by pid only (from `?pid=`); it binds to the first process
 * seen with that pid.
 */
export interface ProcessRef {
  pid: number;
  startTime: number | null;
}

/** What the camera frames: the selected process's chain, the container's, the runtime, or all. */
export type Framing = 'process' | 'container' | 'runtime' | 'everything';

/**
 * Every choice a person makes about what the dashboard shows, in one plain object: it can be
 * serialised, sent to other browsers ("follow the presenter") and replayed. What the server
 * says (the snapshot) is not in here, nor is the camera's exact pan, which depends on the screen.
 */
export interface ViewState {
  selection: ProcessRef | null;
  /** The selected container, by id or name (the URL names it). */
  container: string | null;
  query: string;
  /** Which search match Enter last jumped to; -1 before the first jump. */
  matchIndex: number;
  view: TreeView;
  kernelThreads: boolean;
  workshop: boolean;
  theme: Theme;
  /** Only runtime daemons, shims, container processes and their ancestors; the rest folded into one node. */
  dockerFocus: boolean;
  /** Pids the user folded. */
  folded: number[];
  /** Small compacted groups the user opened in place. */
  expandedGroups: string[];
  /** A big group listed in the side pane instead of expanded in place. */
  groupList: { key: string; query: string; page: number } | null;
  framing: Framing;
  /** Counts Fit presses, so a second Fit re-frames after the user panned. */
  fits: number;
  /** The guided lesson's step (0-based), or null when the lesson panel is closed. */
  lessonStep: number | null;
  /** The detail section to open and mark (a lesson step's answer). */
  section: DetailSection | null;
  help: boolean;
}

export type ViewAction =
  /** `unfold`: folded ancestors to open so the process is drawn (the caller knows the tree). */
  | { type: 'select-process'; process: ProcessRef | null; unfold?: readonly number[] }
  | { type: 'bind-selection'; pid: number; startTime: number }
  | { type: 'select-container'; container: string | null; unfold?: readonly number[] }
  | { type: 'clear' }
  | { type: 'set-query'; query: string }
  | { type: 'jump-to-match'; index: number; process: ProcessRef; unfold?: readonly number[] }
  | { type: 'set-view'; view: TreeView }
  | { type: 'toggle-view' }
  | { type: 'set-kernel-threads'; on: boolean }
  | { type: 'set-workshop'; on: boolean }
  | { type: 'set-theme'; theme: Theme }
  | { type: 'set-docker-focus'; on: boolean }
  | { type: 'toggle-fold'; pid: number }
  | { type: 'toggle-group'; key: string }
  | { type: 'open-group-list'; key: string | null }
  | { type: 'set-group-list-query'; query: string }
  | { type: 'set-group-list-page'; page: number }
  | { type: 'fit' }
  | { type: 'set-help'; on: boolean }
  | { type: 'set-lesson'; step: number | null }
  | {
      type: 'show-lesson-step';
      step: number;
      /** What the step shows (see lesson.ts). */
      view: { container: string | null; process: ProcessRef | null; section: DetailSection | null; query: string; framing: Framing };
      unfold?: readonly number[];
    }
  /** Take another browser's state whole. */
  | { type: 'replace'; state: ViewState }
  /** Show what the presenter shows (an audience page following): the page's own theme, help and group list kept. */
  | { type: 'follow'; view: SharedView };

export const initialViewState: ViewState = {
  selection: null,
  container: null,
  query: '',
  matchIndex: -1,
  view: 'runtime',
  kernelThreads: false,
  workshop: false,
  theme: 'dark',
  dockerFocus: false,
  folded: [],
  expandedGroups: [],
  groupList: null,
  framing: 'runtime',
  fits: 0,
  lessonStep: null,
  section: null,
  help: false,
};

function without(list: readonly number[], remove: readonly number[] | undefined): number[] {
  if (!remove || remove.length === 0) return list as number[];
  const drop = new Set(remove);
  const kept = list.filter((pid) => !drop.has(pid));
  return kept.length === list.length ? (list as number[]) : kept;
}

function toggled<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

/** What the camera frames when nothing more specific is chosen. */
function fallbackFraming(state: Pick<ViewState, 'selection' | 'container'>): Framing {
  if (state.selection) return 'process';
  if (state.container) return 'container';
  return 'runtime';
}

/** The one reducer of view choices. Pure. */
export function reduceView(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'select-process': {
      const next = { ...state, selection: action.process, section: null, folded: without(state.folded, action.unfold) };
      return { ...next, framing: action.process ? 'process' : fallbackFraming(next) };
    }
    case 'bind-selection':
      if (state.selection?.pid !== action.pid || state.selection.startTime !== null) return state;
      return { ...state, selection: { pid: action.pid, startTime: action.startTime } };
    case 'select-container': {
      const next = { ...state, container: action.container, folded: without(state.folded, action.unfold) };
      return { ...next, framing: action.container ? 'container' : fallbackFraming(next) };
    }
    case 'clear':
      return { ...state, query: '', matchIndex: -1, help: false, selection: null, container: null, groupList: null, section: null, framing: 'runtime' };
    case 'set-query':
      return { ...state, query: action.query, matchIndex: -1 };
    case 'jump-to-match':
      return {
        ...state,
        matchIndex: action.index,
        selection: action.process,
        section: null,
        framing: 'process',
        folded: without(state.folded, action.unfold),
      };
    case 'set-view':
      return { ...state, view: action.view };
    case 'toggle-view':
      return { ...state, view: state.view === 'runtime' ? 'kernel' : 'runtime' };
    case 'set-kernel-threads':
      return { ...state, kernelThreads: action.on };
    case 'set-workshop':
      // The Docker focus comes on with workshop mode: a shared screen shows containers, not the host's clutter.
      return { ...state, workshop: action.on, dockerFocus: action.on };
    case 'set-theme':
      return { ...state, theme: action.theme };
    case 'set-docker-focus':
      return { ...state, dockerFocus: action.on };
    case 'toggle-fold':
      return { ...state, folded: toggled(state.folded, action.pid) };
    case 'toggle-group':
      return { ...state, expandedGroups: toggled(state.expandedGroups, action.key) };
    case 'open-group-list':
      return { ...state, groupList: action.key === null || state.groupList?.key === action.key ? null : { key: action.key, query: '', page: 0 } };
    case 'set-group-list-query':
      return state.groupList ? { ...state, groupList: { ...state.groupList, query: action.query, page: 0 } } : state;
    case 'set-group-list-page':
      return state.groupList ? { ...state, groupList: { ...state.groupList, page: Math.max(0, action.page) } } : state;
    case 'fit':
      return { ...state, framing: 'everything', fits: state.fits + 1 };
    case 'set-help':
      return { ...state, help: action.on };
    case 'set-lesson':
      return action.step === null ? { ...state, lessonStep: null, section: null } : { ...state, lessonStep: Math.max(0, action.step) };
    case 'show-lesson-step': {
      const { view } = action;
      const next = {
        ...state,
        lessonStep: action.step,
        container: view.container,
        selection: view.process,
        section: view.section,
        query: view.query,
        matchIndex: -1,
        groupList: null,
        folded: without(state.folded, action.unfold),
      };
      const framingFits = (view.framing === 'process' && view.process) || (view.framing === 'container' && view.container) || view.framing === 'everything';
      return { ...next, framing: framingFits ? view.framing : fallbackFraming(next) };
    }
    case 'replace':
      return action.state;
    case 'follow':
      return applySharedView(state, action.view, DETAIL_SECTIONS);
    default:
      return assertNever(action);
  }
}

/** Actions that are the page's own business: they change nothing the presenter's page decides. */
const OWN_ACTIONS: ReadonlySet<ViewAction['type']> = new Set([
  'set-theme',
  'set-help',
  'bind-selection',
  'open-group-list',
  'set-group-list-query',
  'set-group-list-page',
  'follow',
  'replace',
]);

/** Whether the person's own action moves an audience page away from the presenter's view. Pure. */
export function breaksAway(action: ViewAction): boolean {
  return !OWN_ACTIONS.has(action.type);
}

function assertNever(value: never): never {
  throw new Error(`unhandled view action ${JSON.stringify(value)}`);
}
