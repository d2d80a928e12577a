import type { Toast } from './build-lifecycle.ts';

/** "web2 started: redis-server, pid 23517", for a few seconds; clicking one selects the container. */
export function Toasts({ toasts, onSelect }: { toasts: readonly Toast[]; onSelect: (containerId: string) => void }) {
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <button type="button" key={t.id} className="toast" data-testid="toast" onClick={() => onSelect(t.containerId)}>
          {t.text}
        </button>
      ))}
    </div>
  );
}
