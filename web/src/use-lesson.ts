import { useEffect, useRef } from 'react';
import type { Dispatch } from 'react';
import { buildLessonStep, pickLessonContainer } from './lesson.ts';
import type { TreeModel } from './use-tree-model.ts';
import { ancestorsOf } from './use-view-actions.ts';
import type { ViewAction, ViewState } from './view-state.ts';

/**
 * When the lesson moves to a step, the dashboard shows the step's answer for the chosen
 * container; again when that container appears (step 1 before `docker run`).
 */
export function useLesson(state: ViewState, model: TreeModel, ready: boolean, dispatch: Dispatch<ViewAction>) {
  const container = pickLessonContainer(model.selectedContainer, model.containers);
  const step = state.lessonStep;
  const world = { container, byPid: model.byPid };
  const current = step === null ? null : buildLessonStep(step, world);
  const key = step === null || !ready ? null : `${step}:${container?.id ?? ''}:${container?.pid ?? ''}`;
  const shown = useRef<string | null>(null);
  const { parents } = model;
  const view = current?.view;
  useEffect(() => {
    if (key === null || shown.current === key || !view || step === null) return;
    shown.current = key;
    const pids = [...(view.process ? [view.process.pid] : []), ...(container?.pids ?? [])];
    dispatch({ type: 'show-lesson-step', step, view, unfold: ancestorsOf(pids, parents) });
  }, [key, view, step, container, parents, dispatch]);
  return { step: current, container };
}
