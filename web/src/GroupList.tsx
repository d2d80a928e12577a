import type { Dispatch } from 'react';
import type { ProcessInfo } from '@proclens/shared';
import type { ViewAction, ViewState } from './view-state.ts';

/** Rows per page of a big group's list. */
export const GROUP_PAGE = 25;

interface Props {
  list: NonNullable<ViewState['groupList']>;
  members: readonly number[];
  byPid: ReadonlyMap<number, ProcessInfo>;
  selectedPid: number | null;
  dispatch: Dispatch<ViewAction>;
  onSelectPid: (pid: number) => void;
}

/** A big group of identical processes as a paged, searchable list: it never expands in the tree. */
export function GroupList({ list, members, byPid, selectedPid, dispatch, onSelectPid }: Props) {
  const first = byPid.get(members[0] ?? -1);
  const needle = list.query.trim().toLowerCase();
  const rows = members
    .map((pid) => byPid.get(pid))
    .filter((p): p is ProcessInfo => p !== undefined)
    .filter((p) => needle === '' || (/^\d+$/.test(needle) ? String(p.pid) === needle : p.argv.join(' ').toLowerCase().includes(needle)));
  const pages = Math.max(1, Math.ceil(rows.length / GROUP_PAGE));
  const page = Math.min(list.page, pages - 1);
  const shown = rows.slice(page * GROUP_PAGE, (page + 1) * GROUP_PAGE);
  return (
    <section className="group-list" aria-label="Group members" data-testid="group-list">
      <header>
        <h2>
          {members.length}*[{first?.name ?? '?'}]
        </h2>
        <button type="button" className="close" aria-label="Close the list" onClick={() => dispatch({ type: 'open-group-list', key: null })}>
          ×
        </button>
      </header>
      <input
        type="search"
        placeholder="Filter: a pid, or part of the command"
        aria-label="Filter the group"
        data-testid="group-filter"
        value={list.query}
        onChange={(e) => dispatch({ type: 'set-group-list-query', query: e.target.value })}
      />
      <ol className="group-rows">
        {shown.map((p) => (
          <li key={p.pid}>
            <button type="button" className="link-button" data-testid="group-row" aria-pressed={p.pid === selectedPid} onClick={() => onSelectPid(p.pid)}>
              <span className="mono">{p.pid}</span> {p.argv.join(' ') || `[${p.name}]`}
            </button>
          </li>
        ))}
      </ol>
      <nav className="pager">
        <button type="button" disabled={page === 0} onClick={() => dispatch({ type: 'set-group-list-page', page: page - 1 })}>
          ‹ prev
        </button>
        <span data-testid="group-page">
          {rows.length === 0 ? 'no match' : `${page * GROUP_PAGE + 1}–${page * GROUP_PAGE + shown.length} of ${rows.length}`}
        </span>
        <button type="button" disabled={page >= pages - 1} onClick={() => dispatch({ type: 'set-group-list-page', page: page + 1 })}>
          next ›
        </button>
      </nav>
    </section>
  );
}
