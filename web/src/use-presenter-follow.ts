import { useCallback, useMemo } from 'react';
import type { Dispatch } from 'react';
import type { SharedView } from '@proclens/shared';
import { buildSharedView } from './shared-view-state.ts';
import type { Stream } from './use-snapshot-stream.ts';
import { useFollow } from './use-follow.ts';
import type { Follow } from './use-follow.ts';
import { breaksAway } from './view-state.ts';
import type { ViewAction, ViewState } from './view-state.ts';

export interface PresenterFollow extends Follow {
  /** This page is an audience page (it cannot drive the player or present). */
  audience: boolean;
  /** The person's own view actions: on an audience page, one that changes what is followed breaks away. */
  dispatch: Dispatch<ViewAction>;
}

/**
 * Follow the presenter over the view state: a presenter's page sends the followed part of its
 * state as it changes; an audience page applies the presenter's through the reducer (its own
 * theme, help and group list kept) and breaks away on its own choices.
 */
export function usePresenterFollow(
  stream: Pick<Stream, 'session' | 'presenterView' | 'send'>,
  state: ViewState,
  viewDispatch: Dispatch<ViewAction>,
): PresenterFollow {
  const view = useMemo(() => buildSharedView(state), [state]);
  const apply = useCallback((shared: SharedView) => viewDispatch({ type: 'follow', view: shared }), [viewDispatch]);
  const follow = useFollow({ session: stream.session, view, presenterView: stream.presenterView, send: stream.send, apply });
  const { breakAway } = follow;
  const dispatch = useCallback(
    (action: ViewAction) => {
      if (breaksAway(action)) breakAway();
      viewDispatch(action);
    },
    [breakAway, viewDispatch],
  );
  return { ...follow, audience: stream.session?.role === 'audience', dispatch };
}
