import { MAX_SHARED_FOLDS, MAX_SHARED_GROUPS } from '@proclens/shared';
import type { SharedView } from '@proclens/shared';

/**
 * The part of a page's view state that follows the presenter: the same fields as `SharedView`,
 * with the detail section typed as the page knows it.
 */
export type FollowedState<Section extends string> = Omit<SharedView, 'section'> & { section: Section | null };

/** What the presenter's page sends: its view, trimmed to what a frame may carry. Pure. */
export function buildSharedView<Section extends string>(state: FollowedState<Section>): SharedView {
  return {
    selection: state.selection,
    container: state.container,
    query: state.query.slice(0, 512),
    matchIndex: Math.max(-1, state.matchIndex),
    view: state.view,
    kernelThreads: state.kernelThreads,
    workshop: state.workshop,
    dockerFocus: state.dockerFocus,
    folded: state.folded.slice(0, MAX_SHARED_FOLDS),
    expandedGroups: state.expandedGroups.filter((g) => g.length <= 128).slice(0, MAX_SHARED_GROUPS),
    framing: state.framing,
    fits: state.fits,
    lessonStep: state.lessonStep,
    section: state.section,
  };
}

/**
 * An audience page's state with the presenter's view applied: every followed field taken, what
 * is the page's own (theme, help, anything else) kept, and a section this page does not know
 * dropped. Pure.
 */
export function applySharedView<Section extends string, State extends FollowedState<Section>>(
  state: State,
  shared: SharedView,
  sections: readonly Section[],
): State {
  const section = sections.find((s) => s === shared.section) ?? null;
  return { ...state, ...shared, section };
}
