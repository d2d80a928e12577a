import type { Dispatch, Ref } from 'react';
import type { TreeView } from '@proclens/shared';
import type { StreamState } from './snapshot-reducer.ts';
import { SearchBox } from './SearchBox.tsx';
import type { SearchResult } from './search-processes.ts';
import type { ViewAction, ViewState } from './view-state.ts';

interface Props {
  state: ViewState;
  dispatch: Dispatch<ViewAction>;
  search: SearchResult;
  searchRef: Ref<HTMLInputElement>;
  connection: StreamState['connection'];
  /** The page shows a moment that is not the present (a replay, or a live host scrubbed back): connected, not "live". */
  past: boolean;
  /** An audience page: whether it follows the presenter, and the way back. */
  following: { on: boolean; follow: () => void } | null;
  /** A presenter with --share: how many audience pages there are, and how many follow. */
  presence: StreamState['presence'];
  onJump: (step: 1 | -1) => void;
  onExport: (kind: 'svg' | 'png') => void;
}

const VIEWS: Array<[TreeView, string, string]> = [
  ['runtime', 'Runtime', 'dockerd → containerd → shim → container (v)'],
  ['kernel', 'Kernel', 'Parents as the kernel records them, PPID (v)'],
];

const CONNECTION_TEXT: Record<StreamState['connection'], string> = { live: '● live', connecting: 'connecting…', reconnecting: 'reconnecting…' };

function connectionText(connection: StreamState['connection'], past: boolean): string {
  return connection === 'live' && past ? '● connected' : CONNECTION_TEXT[connection];
}

/** One row: the name, search, and the view's switches. */
export function TopBar({ state, dispatch, search, searchRef, connection, past, following, presence, onJump, onExport }: Props) {
  return (
    <header className="topbar" data-testid="topbar">
      <h1>
        proclens <span className="subtitle">containers are just processes</span>
      </h1>
      <SearchBox query={state.query} result={search} inputRef={searchRef} onQuery={(query) => dispatch({ type: 'set-query', query })} onJump={onJump} />
      <div className="controls">
        <div className="segmented" role="group" aria-label="Tree view">
          {VIEWS.map(([view, label, title]) => (
            <button key={view} type="button" aria-pressed={state.view === view} onClick={() => dispatch({ type: 'set-view', view })} title={title}>
              {label}
            </button>
          ))}
        </div>
        <label className="toggle" title="Kernel threads (t)">
          <input type="checkbox" checked={state.kernelThreads} onChange={(e) => dispatch({ type: 'set-kernel-threads', on: e.target.checked })} /> kthreads
        </label>
        <button type="button" onClick={() => dispatch({ type: 'fit' })} title="Fit the tree to the screen (f)">
          Fit
        </button>
        <button
          type="button"
          data-testid="docker-focus"
          aria-pressed={state.dockerFocus}
          onClick={() => dispatch({ type: 'set-docker-focus', on: !state.dockerFocus })}
          title="Docker focus: only the runtime, the shims and the containers' processes (d)"
        >
          Focus
        </button>
        <button
          type="button"
          data-testid="lesson-toggle"
          aria-pressed={state.lessonStep !== null}
          onClick={() => dispatch({ type: 'set-lesson', step: state.lessonStep === null ? 0 : null })}
          title="The guided lesson: containers are just processes (l)"
        >
          Lesson
        </button>
        <button
          type="button"
          aria-pressed={state.workshop}
          onClick={() => dispatch({ type: 'set-workshop', on: !state.workshop })}
          title="Large type for a shared screen (w)"
        >
          Workshop
        </button>
        <button
          type="button"
          onClick={() => dispatch({ type: 'set-theme', theme: state.theme === 'dark' ? 'light' : 'dark' })}
          title="Light or dark theme"
          data-testid="theme"
        >
          {state.theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        <details className="menu">
          <summary title="Save the whole tree as SVG or PNG">Export</summary>
          <div className="menu-items">
            <button type="button" data-testid="export-svg" onClick={() => onExport('svg')} title="Save the whole tree as SVG">
              SVG
            </button>
            <button type="button" data-testid="export-png" onClick={() => onExport('png')} title="Save the whole tree as PNG">
              PNG
            </button>
          </div>
        </details>
        {following ? (
          <span className={`follow-badge ${following.on ? 'following' : 'away'}`} data-testid="follow-badge" data-following={following.on}>
            {following.on ? (
              'following the presenter'
            ) : (
              <button type="button" data-testid="follow-again" onClick={following.follow}>
                Follow the presenter
              </button>
            )}
          </span>
        ) : null}
        {presence ? (
          <span className="follow-badge" data-testid="presence" title="Audience pages open, and how many follow you">
            {presence.following} of {presence.audience} following
          </span>
        ) : null}
        <span className={`connection ${connection}`} data-testid="connection" data-state={connection}>
          {connectionText(connection, past)}
        </span>
      </div>
    </header>
  );
}
