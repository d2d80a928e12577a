import type { ContainerInfo, ProcessInfo } from '@proclens/shared';
import { DetailBody } from './DetailBody.tsx';
import { MarkedSection } from './DetailSection.tsx';
import { useProcessDetail } from './use-process-detail.ts';
import type { DetailSection, ProcessRef } from './view-state.ts';

interface Props {
  selection: ProcessRef;
  /** The section a lesson step points at. */
  section: DetailSection | null;
  /** The moment shown when it is not the present (replay, rewind): the process as recorded then. */
  at?: number | null;
  byPid: ReadonlyMap<number, ProcessInfo>;
  containers: ReadonlyMap<string, ContainerInfo>;
  onSelect: (pid: number) => void;
  onClose: () => void;
}

/** Everything about one process, each section with the shell command that shows the same. */
export function DetailPane({ selection, section, at = null, byPid, containers, onSelect, onClose }: Props) {
  const { pid, startTime } = selection;
  const state = useProcessDetail(pid, at);
  // The pid may have been reused since it was selected: that is another process, not this one.
  const reused = state.kind === 'ok' && startTime !== null && state.value.process.startTime !== startTime;
  return (
    <aside className="detail" data-testid="detail-pane" aria-label={`Process ${pid}`}>
      <header>
        <h2>Process {pid}</h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      {state.kind === 'loading' || state.kind === 'idle' ? <p className="muted">Reading /proc/{pid}…</p> : null}
      {(state.kind === 'gone' && startTime !== null) || reused ? (
        <p className="notice" data-testid="detail-exited">
          Process {pid} has exited.{reused ? ` Its pid now belongs to another process, ${state.value.process.name}.` : ''}
        </p>
      ) : null}
      {state.kind === 'gone' && startTime === null ? (
        <p className="notice" data-testid="detail-no-such-process">
          No such process: nothing on this host has pid {pid}.
        </p>
      ) : null}
      {state.kind === 'error' ? (
        <p className="notice">
          Could not read process {pid}: {state.message}
        </p>
      ) : null}
      {state.kind === 'ok' && !reused ? (
        <MarkedSection.Provider value={section}>
          <DetailBody detail={state.value} byPid={byPid} containers={containers} onSelect={onSelect} />
        </MarkedSection.Provider>
      ) : null}
    </aside>
  );
}
