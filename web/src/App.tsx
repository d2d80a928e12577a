import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { buildTree } from '@proclens/shared';
import type { ContainerInfo, ProcessInfo, TreeNode, TreeView } from '@proclens/shared';
import { ContainerList } from './ContainerList.tsx';
import { DetailPane } from './DetailPane.tsx';
import { ProcessTree } from './ProcessTree.tsx';
import type { ProcessTreeHandle } from './ProcessTree.tsx';
import { buildHighlight } from './highlight.ts';
import { layoutTree } from './layout-tree.ts';
import { formatUrlState, parseUrlState } from './url-state.ts';
import { useSnapshotStream } from './use-snapshot-stream.ts';

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
  const initial = useMemo(() => parseUrlState(window.location.search), []);
  const [view, setView] = useState<TreeView>(initial.view);
  const [kernelThreads, setKernelThreads] = useState(initial.kernelThreads);
  const [selectedPid, setSelectedPid] = useState<number | null>(initial.pid);
  const [containerRef, setContainerRef] = useState<string | null>(initial.container);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const treeRef = useRef<ProcessTreeHandle>(null);
  const placed = useRef(false);

  const snapshot = stream.snapshot;
  const processes = snapshot?.processes ?? EMPTY;
  const containers = snapshot?.containers ?? NO_CONTAINERS;
  const byPid = useMemo(() => new Map(processes.map((p) => [p.pid, p])), [processes]);
  const containersById = useMemo(() => new Map(containers.map((c) => [c.id, c])), [containers]);
  // The URL may name a container by name or id.
  const selectedContainer = containers.find((c) => c.id === containerRef || c.name === containerRef) ?? null;
  const roots = useMemo(() => buildTree(processes, { view, showKernelThreads: kernelThreads }), [processes, view, kernelThreads]);
  const layout = useMemo(() => layoutTree(roots, collapsed, containersById), [roots, collapsed, containersById]);
  const highlight = useMemo(() => buildHighlight(selectedContainer, layout), [selectedContainer, layout]);

  useEffect(() => {
    const search = formatUrlState({ pid: selectedPid, container: selectedContainer?.name ?? containerRef, view, kernelThreads });
    window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  }, [selectedPid, selectedContainer, containerRef, view, kernelThreads]);

  // First placement: show the container runtime when there is one, else the whole tree.
  useEffect(() => {
    if (placed.current || layout.nodes.length === 0) return;
    placed.current = true;
    const runtime = processes.filter((p) => p.role !== null || p.containerId !== null).map((p) => p.pid);
    if (runtime.length > 0) treeRef.current?.focus(runtime);
    else treeRef.current?.fit();
  }, [layout, processes]);

  // The detail pane narrows the canvas: keep the selected process in view.
  useEffect(() => {
    if (selectedPid === null) return;
    const frame = requestAnimationFrame(() => treeRef.current?.reveal(selectedPid));
    return () => cancelAnimationFrame(frame);
  }, [selectedPid]);

  const selectContainer = useCallback(
    (id: string | null) => {
      setContainerRef(id);
      const container = containers.find((c) => c.id === id);
      if (!container) return;
      // Open every collapsed ancestor so the container's processes are on screen.
      const parents = parentMap(roots);
      setCollapsed((current) => {
        const next = new Set(current);
        for (const pid of container.pids) for (let p = parents.get(pid); p !== undefined; p = parents.get(p)) next.delete(p);
        return next;
      });
      // Frame the container with the runtime chain above it, but not the whole host under init.
      const framed = new Set(container.pids);
      for (const pid of container.pids) for (let p = parents.get(pid); p !== undefined && parents.has(p); p = parents.get(p)) framed.add(p);
      requestAnimationFrame(() => treeRef.current?.focus([...framed]));
    },
    [containers, roots],
  );

  const toggle = useCallback((pid: number) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (!next.delete(pid)) next.add(pid);
      return next;
    });
  }, []);

  const docker = snapshot?.host.docker;
  return (
    <div className="app">
      <header className="topbar">
        <h1>
          proclens <span className="subtitle">containers are just processes</span>
        </h1>
        <div className="controls">
          <div className="segmented" role="group" aria-label="Tree view">
            <button type="button" aria-pressed={view === 'runtime'} onClick={() => setView('runtime')} title="dockerd → containerd → shim → container">
              Runtime view
            </button>
            <button type="button" aria-pressed={view === 'kernel'} onClick={() => setView('kernel')} title="Parents as the kernel records them (PPID)">
              Kernel view
            </button>
          </div>
          <label className="toggle">
            <input type="checkbox" checked={kernelThreads} onChange={(e) => setKernelThreads(e.target.checked)} /> Kernel threads
          </label>
          <button type="button" onClick={() => treeRef.current?.fit()}>
            Fit
          </button>
          <span className={`connection ${stream.connection}`} data-testid="connection" data-state={stream.connection}>
            {stream.connection === 'live' ? '● live' : stream.connection === 'connecting' ? 'connecting…' : 'reconnecting…'}
          </span>
        </div>
      </header>
      {docker && docker.state === 'disconnected' ? (
        <div className="banner" role="status" data-testid="docker-status" data-state={docker.state}>
          Docker is not reachable at <code>{docker.endpoint}</code>
          {docker.error ? ` (${docker.error})` : ''}. Showing the /proc tree only; containers will appear when the engine is up.
        </div>
      ) : null}
      <main className="layout">
        <nav className="sidebar">
          {docker ? <ContainerList containers={containers} docker={docker} selectedId={selectedContainer?.id ?? null} onSelect={selectContainer} /> : null}
          <section className="legend" aria-label="Legend">
            <h2>Legend</h2>
            <p>
              <svg width="40" height="10" aria-hidden="true">
                <line x1="0" y1="5" x2="40" y2="5" className="link kernel" />
              </svg>{' '}
              kernel parent (PPID)
            </p>
            <p>
              <svg width="40" height="10" aria-hidden="true">
                <line x1="0" y1="5" x2="40" y2="5" className="link logical" />
              </svg>{' '}
              runtime link (the shim was re-parented)
            </p>
            <p className="muted">Click a circle to fold a subtree, a name for details. Drag to pan, scroll to zoom.</p>
          </section>
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
              onSelect={setSelectedPid}
              onToggle={toggle}
              handle={treeRef}
            />
          ) : (
            <p className="muted loading">Connecting to the server…</p>
          )}
        </section>
        {selectedPid !== null ? <DetailPane pid={selectedPid} byPid={byPid} onSelect={setSelectedPid} onClose={() => setSelectedPid(null)} /> : null}
      </main>
    </div>
  );
}
