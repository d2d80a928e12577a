import { useCallback, useMemo, useRef, useState } from 'react';
import { DetailPane } from './DetailPane.tsx';
import { EngineBanner } from './EngineBanner.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { LessonPanel } from './LessonPanel.tsx';
import { PlayerBar } from './PlayerBar.tsx';
import { SHARE_QR_RESERVE, ShareQr } from './ShareQr.tsx';
import { ProcessTree } from './ProcessTree.tsx';
import type { ProcessTreeHandle } from './ProcessTree.tsx';
import { Sidebar } from './Sidebar.tsx';
import { Toasts } from './Toasts.tsx';
import { TopBar } from './TopBar.tsx';
import { buildLifecycle } from './build-lifecycle.ts';
import { exportPng, exportSvg } from './export-view.ts';
import type { LaidOutNode } from './layout-tree.ts';
import { GROUP_INLINE_MAX } from './layout-tree.ts';
import { useAppShortcuts } from './use-app-shortcuts.ts';
import { useBindSelection } from './use-bind-selection.ts';
import { useElementSize } from './use-element-size.ts';
import { useLesson } from './use-lesson.ts';
import { useNow } from './use-now.ts';
import { useSnapshotStream } from './use-snapshot-stream.ts';
import type { FrameRequest } from './use-tree-camera.ts';
import { useTreeModel } from './use-tree-model.ts';
import { useViewActions } from './use-view-actions.ts';
import { useViewState } from './use-view-state.ts';
import { usePresenterFollow } from './use-presenter-follow.ts';

/** The dashboard: the stream, the view state, and the panes that draw them. */
export function App() {
  const stream = useSnapshotStream();
  const [state, viewDispatch] = useViewState();
  // The person's own actions go through `dispatch` (an audience page breaks away); the page's own
  // reactions (binding a pid, showing a lesson step) through `viewDispatch`.
  const follow = usePresenterFollow(stream, state, viewDispatch);
  const { dispatch, audience } = follow;
  const snapshot = stream.snapshot;
  const canvasRef = useRef<HTMLElement>(null);
  const canvas = useElementSize(canvasRef);
  const audienceUrl = stream.session?.audienceUrl ?? null;
  const [qrOpen, setQrOpen] = useState(true);
  // The open QR code takes the tree area's bottom right: the chain is framed in the rest.
  const area = useMemo(
    () => (canvas && audienceUrl && qrOpen ? { width: Math.max(240, canvas.width - SHARE_QR_RESERVE), height: canvas.height } : canvas),
    [canvas, audienceUrl, qrOpen],
  );
  // Exited processes stay in the tree until the next message after their fade: expired ones are
  // already transparent, and the tree is not laid out again on every tick of the clock.
  const departed = stream.departedProcesses;
  const ghosts = useMemo(() => departed.map((d) => d.item), [departed]);
  const departedAt = useMemo(() => new Map(departed.map((d) => [d.item.pid, d.at])), [departed]);
  const model = useTreeModel(snapshot, ghosts, state, area);
  const lifecycleAt = (at: number) => buildLifecycle(stream.containerEvents, stream.departedContainers, stream.appeared, model.containersById, model.byPid, at);
  const now = useNow(250, (at) => lifecycleAt(at).changing);
  const lifecycle = lifecycleAt(now);
  const actions = useViewActions(model, state, dispatch);
  const treeRef = useRef<ProcessTreeHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  useBindSelection(state.selection, model.byPid, viewDispatch);
  useAppShortcuts(state, dispatch, searchRef);
  const lesson = useLesson(state, model, snapshot !== null, viewDispatch);
  const startedKey = [...lifecycle.started].join(',');
  const pulsing = useMemo(() => lifecycle.started, [startedKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const { selectedProcess, selectedContainer, chain, type, layout } = model;
  const { framing, view, kernelThreads, workshop, theme, dockerFocus, fits } = state;
  const anchor = selectedProcess?.pid ?? selectedContainer?.pid ?? chain?.find((pid) => model.byPid.get(pid)?.role === 'dockerd') ?? chain?.[0] ?? null;
  const epoch = JSON.stringify([
    framing,
    selectedProcess?.pid ?? null,
    selectedContainer?.id ?? null,
    view,
    kernelThreads,
    workshop,
    theme,
    dockerFocus,
    fits,
    layout.mode,
  ]);
  const chainKey = chain?.join(',') ?? null;
  const frame = useMemo(
    (): FrameRequest => ({ pids: chain, epoch, anchor, minScale: type.minScale, maxScale: type.maxScale }),
    [chainKey, epoch, anchor, type], // eslint-disable-line react-hooks/exhaustive-deps
  );
  // The moment on screen when it is not the present: the detail pane asks for that moment too.
  const shownAt = stream.playback && !stream.playback.state.live && snapshot ? snapshot.takenAt : null;
  const send = stream.send;
  const seek = useMemo(() => (stream.playback && !audience ? (at: number) => send({ type: 'seek', at }) : undefined), [stream.playback, audience, send]);

  const groups = layout.groups;
  // Stable callbacks: every drawn node is memoised on them.
  const activate = useCallback(
    (node: LaidOutNode): void => {
      if (node.kind === 'others') dispatch({ type: 'set-docker-focus', on: false });
      else if ((groups.get(node.key)?.length ?? 0) <= GROUP_INLINE_MAX) dispatch({ type: 'toggle-group', key: node.key });
      else dispatch({ type: 'open-group-list', key: node.key });
    },
    [groups, dispatch],
  );
  const toggleFold = useCallback((pid: number) => dispatch({ type: 'toggle-fold', pid }), [dispatch]);
  const exportView = (kind: 'svg' | 'png'): void => {
    const name = `proclens-${snapshot?.host.hostname ?? 'host'}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}`;
    void treeRef.current?.withEveryNode((svg) => (kind === 'svg' ? exportSvg(svg, layout, name) : exportPng(svg, layout, name)));
  };
  const selection = state.selection;
  return (
    <div className={`app${stream.playback ? ' with-player' : ''}`}>
      <TopBar
        state={state}
        dispatch={dispatch}
        search={model.search}
        searchRef={searchRef}
        connection={stream.connection}
        past={stream.session?.mode === 'replay' || shownAt !== null}
        following={audience ? { on: follow.following, follow: follow.follow } : null}
        presence={stream.presence}
        onJump={actions.jumpToMatch}
        onExport={exportView}
      />
      <EngineBanner engines={snapshot?.host.engines ?? []} containerCount={snapshot?.containers.length ?? 0} />
      {state.help ? <HelpOverlay /> : null}
      <main className="layout">
        <Sidebar
          snapshot={snapshot}
          model={model}
          state={state}
          dispatch={dispatch}
          stream={stream}
          lifecycle={lifecycle}
          actions={actions}
          onSeek={seek}
          lesson={
            state.lessonStep !== null && lesson.step ? (
              <LessonPanel index={state.lessonStep} step={lesson.step} container={lesson.container} dispatch={dispatch} />
            ) : null
          }
        />
        <section className="canvas" ref={canvasRef}>
          {snapshot ? (
            <ProcessTree
              layout={layout}
              highlight={model.highlight}
              selectedPid={selectedProcess?.pid ?? null}
              matches={model.matches}
              pulsing={pulsing}
              departedAt={departedAt}
              now={snapshot.takenAt}
              frame={frame}
              size={area}
              onSelect={actions.selectPid}
              onToggle={toggleFold}
              onActivate={activate}
              onUserMove={follow.breakAway}
              handle={treeRef}
            />
          ) : (
            <p className="muted loading">Connecting to the server…</p>
          )}
          {audienceUrl ? <ShareQr url={audienceUrl} open={qrOpen} setOpen={setQrOpen} /> : null}
        </section>
        {selection !== null ? (
          <DetailPane
            selection={selection}
            section={state.section}
            at={shownAt}
            byPid={model.byPid}
            containers={model.containersById}
            onSelect={actions.selectPid}
            onClose={() => dispatch({ type: 'select-process', process: null })}
          />
        ) : null}
      </main>
      <Toasts toasts={lifecycle.toasts} onSelect={actions.selectContainer} />
      {stream.playback ? <PlayerBar playback={stream.playback} markers={stream.markers} canDrive={!audience} send={stream.send} /> : null}
    </div>
  );
}
