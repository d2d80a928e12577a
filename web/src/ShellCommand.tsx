import { useRef, useState } from 'react';
import { Tokens } from './Tokens.tsx';

const SHOWN_MS = 2500;

/** Selects an element's text, so Ctrl+C copies it. */
function selectText(element: HTMLElement | null): void {
  const selection = window.getSelection();
  if (!element || !selection) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}

/** `execCommand('copy')` on the selection: deprecated, but what works without a secure context. */
function copyTheOldWay(): boolean {
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/**
 * A shell command that shows the same thing by hand, with a copy button. On plain http (a LAN
 * address) browsers have no clipboard API: the command is selected, copied the old way if the
 * browser allows, and otherwise the person is told to press Ctrl+C.
 */
export function ShellCommand({ command, wrap = false }: { command: string; /** Wrap between words instead of scrolling (narrow panes). */ wrap?: boolean }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'manual'>('idle');
  const textRef = useRef<HTMLSpanElement>(null);
  const show = (next: 'copied' | 'manual'): void => {
    setStatus(next);
    setTimeout(() => setStatus('idle'), SHOWN_MS);
  };
  const copy = async (): Promise<void> => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(command);
      show('copied');
    } catch {
      selectText(textRef.current);
      show(copyTheOldWay() ? 'copied' : 'manual');
    }
  };
  return (
    <div className={`shell${wrap ? ' wrap' : ''}`}>
      <code>
        $ <span ref={textRef}>{wrap ? <Tokens text={command} /> : command}</span>
      </code>
      <button type="button" className="copy" title="Copy the command" data-testid="copy" onClick={() => void copy()}>
        {status === 'copied' ? 'copied' : 'copy'}
      </button>
      {status === 'manual' ? (
        <span className="copy-hint" role="status" data-testid="copy-hint">
          selected: press Ctrl+C
        </span>
      ) : null}
    </div>
  );
}
