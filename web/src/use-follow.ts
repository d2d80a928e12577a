import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClientMessage, SharedView } from '@proclens/shared';

/** The presenter's page sends its view at most this often while it changes (the last one always goes). */
const PRESENT_MS = 80;

export interface FollowOptions {
  session: { role: 'presenter' | 'audience'; share: boolean } | null;
  /** What this page shows now, as the protocol carries it. */
  view: SharedView;
  /** Audience: the presenter's latest view, from the server. */
  presenterView: SharedView | null;
  /** Audience: make this page show the presenter's view. */
  apply: (view: SharedView) => void;
  send: (message: ClientMessage) => void;
}

export interface Follow {
  /** An audience page following the presenter (the default); false once it broke away. */
  following: boolean;
  /** The audience page's own pan or click: it stops following. */
  breakAway: () => void;
  /** Back to following, at once showing what the presenter shows. */
  follow: () => void;
}

/**
 * Follow the presenter, both sides: a presenter's page (with --share) sends its view whenever it
 * changes; an audience page applies each view the presenter sends while following, breaks away
 * on its own pan or click, and returns with one click. The server learns which audience pages
 * follow, and tells the presenter how many.
 */
export function useFollow({ session, view, presenterView, apply, send }: FollowOptions): Follow {
  const [following, setFollowing] = useState(true);
  const role = session?.role ?? null;
  const sharing = session?.share ?? false;
  const viewKey = JSON.stringify(view);
  const latest = useRef({ view, presenterView, apply, send });
  useEffect(() => {
    latest.current = { view, presenterView, apply, send };
  });

  // Presenter: the view goes out, coalesced.
  useEffect(() => {
    if (role !== 'presenter' || !sharing) return;
    const timer = setTimeout(() => latest.current.send({ type: 'present', view: latest.current.view }), PRESENT_MS);
    return () => clearTimeout(timer);
  }, [role, sharing, viewKey]);

  // Audience: the presenter's view comes in and is shown while following.
  useEffect(() => {
    if (role === 'audience' && following && presenterView) latest.current.apply(presenterView);
  }, [role, following, presenterView]);

  // Audience: the server counts followers; tell it again after a reconnect (a new session).
  useEffect(() => {
    if (role === 'audience') latest.current.send({ type: 'follow', following });
  }, [role, following, session]);

  const breakAway = useCallback(() => {
    if (role === 'audience') setFollowing(false);
  }, [role]);
  const follow = useCallback(() => setFollowing(true), []);
  return { following: role === 'audience' && following, breakAway, follow };
}
