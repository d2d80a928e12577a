/** What the marks in the tree mean. */
export function Legend() {
  return (
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
        runtime link: the shim re-parented itself to pid 1
      </p>
      <p>
        <span className="ns-badge">⟨pid,net⟩</span> namespaces it does not share with its parent
      </p>
      <p>
        <span className="mono">4*[sleep]</span> identical processes, click to list
      </p>
      <p className="muted">Click a circle to fold a subtree, a name for details. Drag to pan, scroll to zoom. Press ? for keys.</p>
    </section>
  );
}
