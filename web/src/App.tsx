import { useRef } from 'react';
import { DetailPane } from './DetailPane.tsx';
import { EngineBanner } from './EngineBanner.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { ProcessTree } from './ProcessTree.tsx';
import type { ProcessTreeHandle } from './ProcessTree.tsx';
import { Sidebar } from './Sidebar.tsx';
import { TopBar } from './TopBar.tsx';
import { exportPng, exportSvg } from './export-view.ts';
import { useAppShortcuts } from './use-app-shortcuts.ts';
import { useBindSelection } from './use-bind-selection.ts';
import { useFraming } from './use-framing.ts';
import { useSnapshotStream } from './use-snapshot-stream.ts';
import { useTreeModel } from './use-tree-model.ts';
import { useViewActions } from './use-view-actions.ts';
import { useViewState } from './use-view-state.ts';

/** The dashboard: the stream, the view state, and the panes that draw them. */
export function App() {
  const stream = useSnapshotStream();
  const [state, dispatch] = useViewState();
  const snapshot = stream.snapshot;
  const model = useTreeModel(snapshot, state);
  const actions = useViewActions(model, state, dispatch);
  const treeRef = useRef<ProcessTreeHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  useBindSelection(state.selection, model.byPid, dispatch);
  useFraming(treeRef, model, state);
  useAppShortcuts(state, dispatch, searchRef);

  const exportView = (kind: 'svg' | 'png'): void => {
    const name = `proclens-${snapshot?.host.hostname ?? 'host'}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}`;
    void treeRef.current?.withEveryNode((svg) => (kind === 'svg' ? exportSvg(svg, model.layout, name) : exportPng(svg, model.layout, name)));
  };
  const selection = state.selection;
  return (
    <div className="app">
      <TopBar
        state={state}
        dispatch={dispatch}
        search={model.search}
        searchRef={searchRef}
        connection={stream.connection}
        onJump={actions.jumpToMatch}
        onExport={exportView}
      />
      <EngineBanner engine={snapshot?.host.engines.find((e) => e.kind === 'docker')} />
      {state.help ? <HelpOverlay /> : null}
      <main className="layout">
        <Sidebar snapshot={snapshot} model={model} events={stream.events} actions={actions} />
        <section className="canvas">
          {snapshot ? (
            <ProcessTree
              layout={model.layout}
              highlight={model.highlight}
              selectedPid={model.selectedProcess?.pid ?? null}
              matches={model.matches}
              now={snapshot.takenAt}
              onSelect={actions.selectPid}
              onToggle={(pid) => dispatch({ type: 'toggle-fold', pid })}
              onToggleGroup={(key) => dispatch({ type: 'toggle-group', key })}
              handle={treeRef}
            />
          ) : (
            <p className="muted loading">Connecting to the server…</p>
          )}
        </section>
        {selection !== null ? (
          <DetailPane
            selection={selection}
            byPid={model.byPid}
            containers={model.containersById}
            onSelect={actions.selectPid}
            onClose={() => dispatch({ type: 'select-process', process: null })}
          />
        ) : null}
      </main>
    </div>
  );
}
