import type { Dispatch, ReactNode } from 'react';
import type { Snapshot } from '@proclens/shared';
import { ContainerDetailView } from './ContainerDetailView.tsx';
import { ContainerList } from './ContainerList.tsx';
import { GroupList } from './GroupList.tsx';
import { Legend } from './Legend.tsx';
import { Timeline } from './Timeline.tsx';
import type { Lifecycle } from './build-lifecycle.ts';
import type { StreamState } from './snapshot-reducer.ts';
import type { TreeModel } from './use-tree-model.ts';
import type { ViewActions } from './use-view-actions.ts';
import type { ViewAction, ViewState } from './view-state.ts';

interface Props {
  snapshot: Snapshot | null;
  model: TreeModel;
  state: ViewState;
  dispatch: Dispatch<ViewAction>;
  stream: Pick<StreamState, 'containerEvents' | 'processEvents'>;
  lifecycle: Lifecycle;
  actions: ViewActions;
  /** With history to scrub (replay, rewind), for the presenter: an event's time goes back to that moment. */
  onSeek?: (at: number) => void;
  /** The guided lesson, when open. */
  lesson: ReactNode;
}

/** The lesson, a big group's list, containers, the selected one's inspect panel, the legend and the event timeline. */
export function Sidebar({ snapshot, model, state, dispatch, stream, lifecycle, actions, onSeek, lesson }: Props) {
  const engines = snapshot?.host.engines ?? [];
  const { selectedContainer, byPid } = model;
  const members = state.groupList ? model.layout.groups.get(state.groupList.key) : undefined;
  const unknown = snapshot && state.container && !selectedContainer ? state.container : null;
  return (
    <nav className="sidebar" data-testid="sidebar">
      {lesson}
      {state.groupList && members ? (
        <GroupList
          list={state.groupList}
          members={members}
          byPid={byPid}
          selectedPid={model.selectedProcess?.pid ?? null}
          dispatch={dispatch}
          onSelectPid={actions.selectPid}
        />
      ) : null}
      {engines.length > 0 ? (
        <ContainerList
          containers={model.containers}
          departing={lifecycle.departingContainers}
          started={lifecycle.started}
          engines={engines}
          selectedId={selectedContainer?.id ?? null}
          unknown={unknown}
          onSelect={actions.selectContainer}
        />
      ) : null}
      {selectedContainer ? <ContainerDetailView container={selectedContainer} byPid={byPid} onSelectPid={actions.selectPid} /> : null}
      <Timeline
        containerEvents={stream.containerEvents}
        processEvents={stream.processEvents}
        focus={state.dockerFocus}
        byPid={byPid}
        onSelectPid={actions.selectPid}
        onSelectContainer={actions.selectContainer}
        onFocus={(on) => dispatch({ type: 'set-docker-focus', on })}
        onSeek={onSeek}
      />
      <Legend />
      {snapshot ? (
        <p className="muted host">
          {snapshot.host.hostname} · {model.processes.length} processes · kernel {snapshot.host.kernel}
        </p>
      ) : null}
    </nav>
  );
}
