import type { Ref } from 'react';
import type { SearchResult } from './search-processes.ts';

interface Props {
  query: string;
  result: SearchResult;
  inputRef: Ref<HTMLInputElement>;
  onQuery: (query: string) => void;
  onJump: (step: 1 | -1) => void;
}

/** pgrep-like search; Enter walks the matches, Shift+Enter walks back. */
export function SearchBox({ query, result, inputRef, onQuery, onJump }: Props) {
  return (
    <div className="search">
      <input
        ref={inputRef}
        type="search"
        placeholder="Search ( / )"
        title="Name, pid, command line or container; /regex/ too. Enter jumps to the next match."
        aria-label="Search processes"
        data-testid="search"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onJump(e.shiftKey ? -1 : 1);
          }
        }}
      />
      {query ? (
        <span className="match-count" data-testid="match-count">
          {result.error ? result.error : `${result.pids.length} ${result.pids.length === 1 ? 'match' : 'matches'}`}
        </span>
      ) : null}
    </div>
  );
}
