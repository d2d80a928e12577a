import { describe, expect, it } from 'vitest';
import { buildInitialViewState, formatUrlState, parseUrlState } from './url-state.ts';
import { initialViewState } from './view-state.ts';

describe('url state', () => {
  it('parseUrlState reads what formatUrlState writes', () => {
    const state = {
      ...initialViewState,
      selection: { pid: 42, startTime: 9 },
      container: 'db',
      view: 'kernel' as const,
      kernelThreads: true,
      dockerFocus: true,
      lessonStep: 2,
      query: 'redis',
    };
    expect(parseUrlState(formatUrlState(state))).toEqual({
      pid: 42,
      container: 'db',
      view: 'kernel',
      kernelThreads: true,
      dockerFocus: true,
      lessonStep: 2,
      query: 'redis',
    });
  });

  it('parseUrlState ignores junk', () => {
    expect(parseUrlState('?pid=../../x&view=evil&lesson=0&focus=maybe')).toEqual({
      pid: null,
      container: null,
      view: 'runtime',
      kernelThreads: false,
      dockerFocus: null,
      lessonStep: null,
      query: '',
    });
  });

  it('formatUrlState leaves out what is the default, and the Docker focus when it follows workshop mode', () => {
    expect(formatUrlState(initialViewState)).toBe('');
    expect(formatUrlState({ ...initialViewState, workshop: true, dockerFocus: true })).toBe('');
    expect(formatUrlState({ ...initialViewState, workshop: true, dockerFocus: false })).toBe('?focus=0');
  });

  it('buildInitialViewState selects a URL pid without a start time, to bind to the process it finds', () => {
    const state = buildInitialViewState(initialViewState, parseUrlState('?pid=7'), { theme: 'light', workshop: true });
    expect(state.selection).toEqual({ pid: 7, startTime: null });
    expect(state).toMatchObject({ theme: 'light', workshop: true, dockerFocus: true, framing: 'process' });
  });
});
