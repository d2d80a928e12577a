import { createContext, useContext, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { ShellCommand } from './ShellCommand.tsx';
import type { DetailSection } from './view-state.ts';

/** The section a lesson step points at: it is marked and scrolled into view. */
export const MarkedSection = createContext<DetailSection | null>(null);

/** One part of the detail pane, with the shell command that shows the same by hand. */
export function Section({ id, title, command, children }: { id: DetailSection; title: string; command: string; children: ReactNode }) {
  const marked = useContext(MarkedSection) === id;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (marked) ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [marked]);
  return (
    <section ref={ref} className={`detail-section${marked ? ' marked' : ''}`} data-section={id} data-testid={`section-${id}`}>
      <h3>{title}</h3>
      {children}
      <ShellCommand command={command} />
    </section>
  );
}
