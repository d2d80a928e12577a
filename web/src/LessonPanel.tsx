import type { Dispatch } from 'react';
import type { ContainerInfo } from '@proclens/shared';
import { ShellCommand } from './ShellCommand.tsx';
import { LESSON_LENGTH } from './lesson.ts';
import type { LessonStep } from './lesson.ts';
import type { ViewAction } from './view-state.ts';

interface Props {
  index: number;
  step: LessonStep;
  container: ContainerInfo | null;
  dispatch: Dispatch<ViewAction>;
}

/** The guided lesson, "Containers are just processes": a step's command, and the dashboard shows the answer. */
export function LessonPanel({ index, step, container, dispatch }: Props) {
  const go = (to: number): void => dispatch({ type: 'set-lesson', step: Math.min(LESSON_LENGTH - 1, Math.max(0, to)) });
  return (
    <section className="lesson" aria-label="Lesson" data-testid="lesson" data-step={index + 1}>
      <header>
        <h2>
          Lesson · {index + 1}/{LESSON_LENGTH}
        </h2>
        <button type="button" className="close" aria-label="Close the lesson" onClick={() => dispatch({ type: 'set-lesson', step: null })}>
          ×
        </button>
      </header>
      <h3 data-testid="lesson-title">{step.title}</h3>
      <ShellCommand command={step.command} wrap />
      <p className="explain" data-testid="lesson-answer">
        {step.answer}
      </p>
      {container ? null : <p className="muted">No container is running: start one with the command above.</p>}
      <nav className="pager">
        <button type="button" data-testid="lesson-prev" disabled={index === 0} onClick={() => go(index - 1)}>
          ‹ previous
        </button>
        <button type="button" data-testid="lesson-next" disabled={index === LESSON_LENGTH - 1} onClick={() => go(index + 1)}>
          next ›
        </button>
      </nav>
    </section>
  );
}
