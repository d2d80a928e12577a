import { useState } from 'react';

/** A shell command that shows the same thing by hand, with a copy button. */
export function ShellCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="shell">
      <code>$ {command}</code>
      <button
        type="button"
        className="copy"
        title="Copy the command"
        onClick={() => {
          void navigator.clipboard?.writeText(command).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          });
        }}
      >
        {copied ? 'copied' : 'copy'}
      </button>
    </div>
  );
}
