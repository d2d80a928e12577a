import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { buildTree } from '@proclens/shared';
import type { ContainerInfo, ProcessInfo, SharedView, TreeNode, TreeView } from '@proclens/shared';
import { ContainerDetailView } from './ContainerDetailView.tsx';
import { ContainerList } from './ContainerList.tsx';
import { DetailPane } from './DetailPane.tsx';
import { Legend } from './Legend.tsx';
import { PlayerBar } from './PlayerBar.tsx';
import { ShareQr } from './ShareQr.tsx';
import { ProcessTree } from './ProcessTree.tsx';
import type { ProcessTreeHandle } from './ProcessTree.tsx';
import { Timeline } from './Timeline.tsx';
import { exportPng, exportSvg } from './export-view.ts';
import { buildHighlight } from './highlight.ts';
import { layoutTree } from './layout-tree.ts';
import { searchProcesses } from './search-processes.ts';
import { SHORTCUTS, useKeyboardShortcuts } from './use-keyboard-shortcuts.ts';
import { usePreferences } from './use-preferences.ts';
import { formatUrlState, parseUrlState } from './url-state.ts';
import { useSnapshotStream } from './use-snapshot-stream.ts';
import { buildSharedView } from './shared-view-state.ts';
import { useFollow } from './use-follow.ts';

const EMPTY: ProcessInfo[] = [];
const NO_CONTAINERS: ContainerInfo[] = [];

function parentMap(roots: readonly TreeNode[]): Map<number, number> {
  const parents = new Map<number, number>();
  const walk = (node: TreeNode): void => {
    for (const child of node.children) {
      parents.set(child.process.pid, node.process.pid);
      walk(child);
    }
  };
  roots.forEach(walk);
  return parents;
}

export function App() {
  const stream = useSnapshotStream();
  const prefs = usePreferences();
  const initial = useMemo(() => parseUrlState(window.location.search), []);
  const [view, setView] = useState<TreeView>(initial.view);
  const [kernelThreads, setKernelThreads] = useState(initial.kernelThreads);
  const [selectedPid, setSelectedPid] = useState<number | null>(initial.pid);
  const [containerRef, setContainerRef] = useState<string | null>(initial.container);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [expandedGroups, setExpandedGroups] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  const [showHelp, setShowHelp] = useState(false);
  const treeRef = useRef<ProcessTreeHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const placed = useRef(false);

  const snapshot = stream.snapshot;
  const processes = snapshot?.processes ?? EMPTY;
  const containers = snapshot?.containers ?? NO_CONTAINERS;
  const byPid = useMemo(() => new Map(processes.map((p) => [p.pid, p])), [processes]);
  const containersById = useMemo(() => new Map(containers.map((c) => [c.id, c])), [containers]);
  // The URL may name a container by name or id.
  const selectedContainer = containers.find((c) => c.id === containerRef || c.name === containerRef) ?? null;
  const search = useMemo(() => searchProcesses(processes, containersById, query, kernelThreads), [processes, containersById, query, kernelThreads]);
  const matches = useMemo(() => new Set(search.pids), [search]);
  const keepVisible = useMemo(
    () => new Set([...(selectedContainer?.pids ?? []), ...search.pids, ...(selectedPid !== null ? [selectedPid] : [])]),
    [selectedContainer, search, selectedPid],
  );
  const roots = useMemo(() => buildTree(processes, { view, showKernelThreads: kernelThreads }), [processes, view, kernelThreads]);
  const layout = useMemo(
    () => layoutTree(roots, { containers: containersById, collapsed, expandedGroups, keepVisible, textScale: prefs.workshop ? 1.3 : 1 }),
    [roots, containersById, collapsed, expandedGroups, keepVisible, prefs.workshop],
  );
  const highlight = useMemo(() => buildHighlight(selectedContainer, layout), [selectedContainer, layout]);
  const sharedView: SharedView = useMemo(
    () =>
      buildSharedView({
        selection: selectedPid === null ? null : { pid: selectedPid, startTime: byPid.get(selectedPid)?.startTime ?? null },
        container: containerRef,
        query,
        matchIndex,
        view,
        kernelThreads,
        workshop: prefs.workshop,
        dockerFocus: false,
        folded: [],
        expandedGroups: [],
        framing: selectedPid !== null ? 'process' : containerRef ? 'container' : 'runtime',
        fits: 0,
        lessonStep: null,
        section: null,
      }),
    [selectedPid, byPid, containerRef, query, matchIndex, view, kernelThreads, prefs.workshop],
  );
  const follow = useFollow({
    session: stream.session,
    view: sharedView,
    presenterView: stream.presenterView,
    send: stream.send,
    apply: (v) => {
      setSelectedPid(v.selection?.pid ?? null);
      setContainerRef(v.container);
      setQuery(v.query);
      setView(v.view);
      setKernelThreads(v.kernelThreads);
      if (v.workshop !== prefs.workshop) prefs.setWorkshop(v.workshop);
      if (v.selection) requestAnimationFrame(() => treeRef.current?.reveal(v.selection?.pid ?? 0));
    },
  });
  const audience = stream.session?.role === 'audience';
  // The moment on screen when it is not the present: the detail pane asks for that moment too.
  const shownAt = stream.playback && !stream.playback.state.live && snapshot ? snapshot.takenAt : null;

  useEffect(() => {
    const search = formatUrlState({ pid: selectedPid, container: selectedContainer?.name ?? containerRef, view, kernelThreads });
    window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  }, [selectedPid, selectedContainer, containerRef, view, kernelThreads]);

  // First placement: the selection from the URL, else the container runtime, else everything.
  useEffect(() => {
    if (placed.current || layout.nodes.length === 0) return;
    placed.current = true;
    const runtime = processes.filter((p) => p.role !== null || p.containerId !== null).map((p) => p.pid);
    if (selectedContainer) treeRef.current?.focus(selectedContainer.pids);
    else if (selectedPid !== null && byPid.has(selectedPid)) treeRef.current?.reveal(selectedPid);
    else if (runtime.length > 0) treeRef.current?.focus(runtime);
    else treeRef.current?.fit();
  }, [layout, processes, selectedContainer, selectedPid, byPid]);

  // Open every folded ancestor so these processes are drawn.
  const unfoldAbove = useCallback(
    (pids: readonly number[]) => {
      const parents = parentMap(roots);
      setCollapsed((current) => {
        const next = new Set(current);
        for (const pid of pids) for (let p = parents.get(pid); p !== undefined; p = parents.get(p)) next.delete(p);
        return next.size === current.size ? current : next;
      });
      return parents;
    },
    [roots],
  );

  const { breakAway } = follow;
  const selectPid = useCallback(
    (pid: number | null) => {
      breakAway();
      setSelectedPid(pid);
      if (pid === null) return;
      unfoldAbove([pid]);
      requestAnimationFrame(() => treeRef.current?.reveal(pid));
    },
    [unfoldAbove, breakAway],
  );

  const selectContainer = useCallback(
    (id: string | null) => {
      breakAway();
      setContainerRef(id);
      const container = containers.find((c) => c.id === id);
      if (!container) return;
      const parents = unfoldAbove(container.pids);
      // Frame the container with the runtime chain above it, but not the whole host under init.
      const framed = new Set(container.pids);
      for (const pid of container.pids) for (let p = parents.get(pid); p !== undefined && parents.has(p); p = parents.get(p)) framed.add(p);
      requestAnimationFrame(() => treeRef.current?.focus([...framed]));
    },
    [containers, unfoldAbove, breakAway],
  );

  const toggle = useCallback((pid: number) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (!next.delete(pid)) next.add(pid);
      return next;
    });
  }, []);
  const toggleGroup = useCallback((key: string) => {
    setExpandedGroups((current) => {
      const next = new Set(current);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);

  const jumpToMatch = useCallback(
    (step: number) => {
      if (search.pids.length === 0) return;
      const index = (((matchIndex + step) % search.pids.length) + search.pids.length) % search.pids.length;
      setMatchIndex(index);
      selectPid(search.pids[index] ?? null);
    },
    [search, matchIndex, selectPid],
  );

  useKeyboardShortcuts({
    '/': () => searchRef.current?.focus(),
    Escape: () => {
      setQuery('');
      setShowHelp(false);
      setSelectedPid(null);
      setContainerRef(null);
      searchRef.current?.blur();
    },
    f: () => treeRef.current?.fit(),
    v: () => setView((v) => (v === 'runtime' ? 'kernel' : 'runtime')),
    t: () => setKernelThreads((k) => !k),
    w: () => prefs.setWorkshop(!prefs.workshop),
    '?': () => setShowHelp((h) => !h),
  });

  const exportName = `proclens-${snapshot?.host.hostname ?? 'host'}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}`;
  const alive = useMemo(() => new Set(byPid.keys()), [byPid]);
  const docker = snapshot?.host.engines.find((e) => e.kind === 'docker');
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          proclens <span className="subtitle">containers are just processes</span>
        </h1>
        <div className="search">
          <input
            ref={searchRef}
            type="search"
            placeholder="Search: name, pid, command, container  ( / )"
            aria-label="Search processes"
            data-testid="search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setMatchIndex(-1);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                jumpToMatch(e.shiftKey ? -1 : 1);
              }
            }}
          />
          {query ? (
            <span className="match-count" data-testid="match-count">
              {search.error ? search.error : `${search.pids.length} ${search.pids.length === 1 ? 'match' : 'matches'}`}
            </span>
          ) : null}
        </div>
        <div className="controls">
          <div className="segmented" role="group" aria-label="Tree view">
            <button type="button" aria-pressed={view === 'runtime'} onClick={() => setView('runtime')} title="dockerd → containerd → shim → container (v)">
              Runtime
            </button>
            <button type="button" aria-pressed={view === 'kernel'} onClick={() => setView('kernel')} title="Parents as the kernel records them, PPID (v)">
              Kernel
            </button>
          </div>
          <label className="toggle" title="Kernel threads (t)">
            <input type="checkbox" checked={kernelThreads} onChange={(e) => setKernelThreads(e.target.checked)} /> kthreads
          </label>
          <button type="button" onClick={() => treeRef.current?.fit()} title="Fit the tree to the screen (f)">
            Fit
          </button>
          <button type="button" aria-pressed={prefs.workshop} onClick={() => prefs.setWorkshop(!prefs.workshop)} title="Large type for a shared screen (w)">
            Workshop
          </button>
          <button type="button" onClick={() => prefs.setTheme(prefs.theme === 'dark' ? 'light' : 'dark')} title="Light or dark theme" data-testid="theme">
            {prefs.theme === 'dark' ? 'Light' : 'Dark'}
          </button>
          <button
            type="button"
            data-testid="export-svg"
            onClick={() => void treeRef.current?.withEveryNode((svg) => exportSvg(svg, layout, exportName))}
            title="Save the whole tree as SVG"
          >
            SVG
          </button>
          <button
            type="button"
            data-testid="export-png"
            onClick={() => void treeRef.current?.withEveryNode((svg) => exportPng(svg, layout, exportName))}
            title="Save the whole tree as PNG"
          >
            PNG
          </button>
          {audience ? (
            <span className={`follow-badge ${follow.following ? 'following' : 'away'}`} data-testid="follow-badge" data-following={follow.following}>
              {follow.following ? (
                'following the presenter'
              ) : (
                <button type="button" data-testid="follow-again" onClick={follow.follow}>
                  Follow the presenter
                </button>
              )}
            </span>
          ) : null}
          {stream.presence ? (
            <span className="follow-badge" data-testid="presence" title="Audience pages open, and how many follow you">
              {stream.presence.following} of {stream.presence.audience} following
            </span>
          ) : null}
          <span className={`connection ${stream.connection}`} data-testid="connection" data-state={stream.connection}>
            {stream.connection === 'live'
              ? stream.session?.mode === 'replay'
                ? '● connected'
                : '● live'
              : stream.connection === 'connecting'
                ? 'connecting…'
                : 'reconnecting…'}
          </span>
        </div>
      </header>
      {docker && docker.state === 'disconnected' ? (
        <div className="banner" role="status" data-testid="docker-status" data-state={docker.state}>
          Docker is not reachable at <code>{docker.endpoint}</code>
          {docker.error ? ` (${docker.error})` : ''}. Showing the /proc tree only; containers will appear when the engine is up.
        </div>
      ) : null}
      {showHelp ? (
        <div className="help" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
          <h2>Keys</h2>
          <dl>
            {SHORTCUTS.map(([key, what]) => (
              <div key={key}>
                <dt>
                  <kbd>{key}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      <main className="layout">
        <nav className="sidebar">
          {docker ? <ContainerList containers={containers} docker={docker} selectedId={selectedContainer?.id ?? null} onSelect={selectContainer} /> : null}
          {selectedContainer ? <ContainerDetailView container={selectedContainer} byPid={byPid} onSelectPid={selectPid} /> : null}
          <Legend />
          <Timeline
            events={stream.events}
            alive={alive}
            onSelectPid={selectPid}
            onSelectContainer={selectContainer}
            onSeek={stream.playback && !audience ? (at) => stream.send({ type: 'seek', at }) : undefined}
          />
          {snapshot ? (
            <p className="muted host">
              {snapshot.host.hostname} · {processes.length} processes · kernel {snapshot.host.kernel}
            </p>
          ) : null}
        </nav>
        <section className="canvas">
          {snapshot ? (
            <ProcessTree
              layout={layout}
              highlight={highlight}
              selectedPid={selectedPid}
              matches={matches}
              now={snapshot.takenAt}
              onSelect={selectPid}
              onToggle={toggle}
              onToggleGroup={toggleGroup}
              onUserMove={follow.breakAway}
              handle={treeRef}
            />
          ) : (
            <p className="muted loading">Connecting to the server…</p>
          )}
          {stream.session?.audienceUrl ? <ShareQr url={stream.session.audienceUrl} /> : null}
        </section>
        {selectedPid !== null ? (
          <DetailPane pid={selectedPid} at={shownAt} byPid={byPid} containers={containersById} onSelect={selectPid} onClose={() => setSelectedPid(null)} />
        ) : null}
      </main>
      {stream.playback ? <PlayerBar playback={stream.playback} markers={stream.markers} canDrive={!audience} send={stream.send} /> : null}
    </div>
  );
}
