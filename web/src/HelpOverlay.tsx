import { SHORTCUTS } from './use-keyboard-shortcuts.ts';

/** The keyboard shortcuts (`?`). */
export function HelpOverlay() {
  return (
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
  );
}
