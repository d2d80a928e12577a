import { describe, expect, it } from 'vitest';
import { buildSharedView } from './shared-view-state.ts';
import { breaksAway, initialViewState, reduceView } from './view-state.ts';
import type { ViewAction, ViewState } from './view-state.ts';

const run = (actions: ViewAction[], from: ViewState = initialViewState): ViewState => actions.reduce(reduceView, from);

describe('reduceView', () => {
  it('reduceView binds a pid-only selection to the first start time seen, and never rebinds it', () => {
    const bound = run([
      { type: 'select-process', process: { pid: 7, startTime: null } },
      { type: 'bind-selection', pid: 7, startTime: 100 },
      { type: 'bind-selection', pid: 7, startTime: 200 },
    ]);
    expect(bound.selection).toEqual({ pid: 7, startTime: 100 });
  });

  it('reduceView opens the folded ancestors of what is selected, and frames it', () => {
    const state = run([
      { type: 'toggle-fold', pid: 10 },
      { type: 'toggle-fold', pid: 99 },
      { type: 'select-process', process: { pid: 21, startTime: 5 }, unfold: [20, 10, 1] },
    ]);
    expect(state.folded).toEqual([99]);
    expect(state.framing).toBe('process');
  });

  it('reduceView frames the container once the process is deselected, and the runtime once both are', () => {
    const state = run([
      { type: 'select-container', container: 'db' },
      { type: 'select-process', process: { pid: 21, startTime: 5 } },
      { type: 'select-process', process: null },
    ]);
    expect(state.framing).toBe('container');
    expect(run([{ type: 'select-container', container: null }], state).framing).toBe('runtime');
  });

  it('reduceView folds and unfolds the same pid: folding is always reversible', () => {
    expect(run([{ type: 'toggle-fold', pid: 3 }]).folded).toEqual([3]);
    expect(
      run([
        { type: 'toggle-fold', pid: 3 },
        { type: 'toggle-fold', pid: 3 },
      ]).folded,
    ).toEqual([]);
  });

  it('reduceView turns the Docker focus on and off with workshop mode', () => {
    expect(run([{ type: 'set-workshop', on: true }]).dockerFocus).toBe(true);
    expect(
      run([
        { type: 'set-workshop', on: true },
        { type: 'set-docker-focus', on: false },
      ]).dockerFocus,
    ).toBe(false);
    expect(
      run([
        { type: 'set-workshop', on: true },
        { type: 'set-workshop', on: false },
      ]).dockerFocus,
    ).toBe(false);
  });

  it('reduceView opens a big group in the side pane, pages it, and closes it with a second click', () => {
    const open = run([
      { type: 'open-group-list', key: 'g:1::sleep' },
      { type: 'set-group-list-page', page: 3 },
    ]);
    expect(open.groupList).toEqual({ key: 'g:1::sleep', query: '', page: 3 });
    expect(run([{ type: 'set-group-list-query', query: '42' }], open).groupList).toEqual({ key: 'g:1::sleep', query: '42', page: 0 });
    expect(run([{ type: 'open-group-list', key: 'g:1::sleep' }], open).groupList).toBeNull();
  });

  it('reduceView counts Fit presses so that each one re-frames', () => {
    const state = run([{ type: 'fit' }, { type: 'fit' }]);
    expect(state).toMatchObject({ framing: 'everything', fits: 2 });
  });

  it('reduceView clears search, selection and container on Escape, keeping the view choices', () => {
    const state = run([
      { type: 'set-view', view: 'kernel' },
      { type: 'set-query', query: 'redis' },
      { type: 'select-container', container: 'db' },
      { type: 'clear' },
    ]);
    expect(state).toMatchObject({ view: 'kernel', query: '', container: null, selection: null, framing: 'runtime' });
  });

  it('reduceView state survives JSON, so it can be sent to other browsers and replayed', () => {
    const state = run([
      { type: 'select-container', container: 'db' },
      { type: 'toggle-group', key: 'g' },
      { type: 'set-lesson', step: 3 },
    ]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(run([{ type: 'replace', state }])).toEqual(state);
  });

  it('reduceView follows the presenter: its selection, view and toggles taken, the page’s own theme, help and group list kept', () => {
    const presenter = run([
      { type: 'select-container', container: 'db' },
      { type: 'select-process', process: { pid: 21, startTime: 5 } },
      { type: 'set-view', view: 'kernel' },
      { type: 'set-workshop', on: true },
      { type: 'fit' },
    ]);
    const audience = run([
      { type: 'set-theme', theme: 'light' },
      { type: 'set-help', on: true },
      { type: 'open-group-list', key: '1:sleep' },
      { type: 'select-process', process: { pid: 99, startTime: 1 } },
    ]);
    const followed = run([{ type: 'follow', view: buildSharedView(presenter) }], audience);
    expect(followed).toMatchObject({
      selection: { pid: 21, startTime: 5 },
      container: 'db',
      view: 'kernel',
      workshop: true,
      dockerFocus: true,
      framing: 'everything',
      fits: 1,
      theme: 'light',
      help: true,
      groupList: { key: '1:sleep', query: '', page: 0 },
    });
  });

  it('breaksAway: an audience page’s own choice of what it shows breaks away; its theme, help or a group’s list do not', () => {
    expect(breaksAway({ type: 'select-process', process: { pid: 1, startTime: 0 } })).toBe(true);
    expect(breaksAway({ type: 'set-view', view: 'kernel' })).toBe(true);
    expect(breaksAway({ type: 'fit' })).toBe(true);
    expect(breaksAway({ type: 'set-theme', theme: 'light' })).toBe(false);
    expect(breaksAway({ type: 'set-help', on: true })).toBe(false);
    expect(breaksAway({ type: 'open-group-list', key: 'g' })).toBe(false);
    expect(breaksAway({ type: 'bind-selection', pid: 1, startTime: 0 })).toBe(false);
  });
});
