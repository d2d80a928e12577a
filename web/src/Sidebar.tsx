import type { Snapshot } from '@proclens/shared';
import { ContainerDetailView } from './ContainerDetailView.tsx';
import { ContainerList } from './ContainerList.tsx';
import { Legend } from './Legend.tsx';
import { Timeline } from './Timeline.tsx';
import type { TimelineEvent } from './build-timeline-events.ts';
import type { TreeModel } from './use-tree-model.ts';
import type { ViewActions } from './use-view-actions.ts';

interface Props {
  snapshot: Snapshot | null;
  model: TreeModel;
  events: readonly TimelineEvent[];
  actions: ViewActions;
}

/** Containers, the selected one's inspect panel, the legend and the event timeline. */
export function Sidebar({ snapshot, model, events, actions }: Props) {
  const docker = snapshot?.host.engines.find((e) => e.kind === 'docker');
  const { selectedContainer, byPid } = model;
  return (
    <nav className="sidebar">
      {docker ? (
        <ContainerList containers={model.containers} docker={docker} selectedId={selectedContainer?.id ?? null} onSelect={actions.selectContainer} />
      ) : null}
      {selectedContainer ? <ContainerDetailView container={selectedContainer} byPid={byPid} onSelectPid={actions.selectPid} /> : null}
      <Legend />
      <Timeline events={events} byPid={byPid} onSelectPid={actions.selectPid} onSelectContainer={actions.selectContainer} />
      {snapshot ? (
        <p className="muted host">
          {snapshot.host.hostname} · {model.processes.length} processes · kernel {snapshot.host.kernel}
        </p>
      ) : null}
    </nav>
  );
}
