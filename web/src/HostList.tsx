import { useDeferredValue, useRef, useState } from 'react';
import type { HostMatch, HostSummary } from '@proclens/shared';
import { buildHostHref, formatAgo } from './hub-route.ts';
import { useHostSearch, useHosts, useHubStatus } from './use-hosts.ts';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.ts';
import { useRememberedLook } from './use-view-state.ts';

/** A host's state in words: `live · seen just now`, `stale · last seen 3 min ago`. */
export function HostState({ host }: { host: Pick<HostSummary, 'state' | 'ageMs'> }) {
  return (
    <span className={`host-state ${host.state}`} data-testid="host-state" data-state={host.state}>
      {host.state === 'live' ? '● live' : '○ stale'}
      <span className="muted"> · {host.state === 'live' ? `seen ${formatAgo(host.ageMs)}` : `last seen ${formatAgo(host.ageMs)}`}</span>
    </span>
  );
}

/** The hub's home page: every host with its state and counts, and a search across all of them. */
export function HostList() {
  useRememberedLook();
  const hosts = useHosts();
  const status = useHubStatus();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const search = useHostSearch(deferred);
  const searchRef = useRef<HTMLInputElement>(null);
  useKeyboardShortcuts({ '/': () => searchRef.current?.focus(), Escape: () => setQuery('') });

  const rows = hosts.kind === 'ok' ? hosts.value : [];
  const live = rows.filter((h) => h.state === 'live').length;
  const nats = status.kind === 'ok' ? status.value.nats : null;
  return (
    <div className="app hub">
      <header className="topbar">
        <h1>
          proclens <span className="subtitle">every host, one dashboard</span>
        </h1>
        <div className="search">
          <input
            ref={searchRef}
            type="search"
            placeholder="Find a container or a pid on any host  ( / )"
            aria-label="Search every host"
            data-testid="host-search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          {query && search.kind === 'ok' ? (
            <span className="match-count" data-testid="host-match-count">
              {search.value.length} {search.value.length === 1 ? 'match' : 'matches'}
            </span>
          ) : null}
        </div>
        <div className="controls">
          <span className="muted" data-testid="host-count">
            {rows.length} {rows.length === 1 ? 'host' : 'hosts'}, {live} live
          </span>
          <span
            className={`connection ${nats?.state === 'connected' ? 'live' : 'reconnecting'}`}
            data-testid="nats-state"
            data-state={nats?.state ?? 'unknown'}
          >
            {nats?.state === 'connected' ? '● NATS' : 'NATS reconnecting…'}
          </span>
        </div>
      </header>
      {nats && nats.state !== 'connected' ? (
        <div className="banner" role="status" data-testid="nats-banner">
          The hub has lost NATS at <code>{nats.server}</code>
          {nats.error ? ` (${nats.error})` : ''}; it keeps trying. Hosts show what they last sent and turn stale.
        </div>
      ) : null}
      <main className="hub-main">
        {query.trim() ? (
          <MatchTable matches={search.kind === 'ok' ? search.value : []} loading={search.kind === 'loading'} />
        ) : (
          <HostTable hosts={rows} loading={hosts.kind === 'loading'} error={hosts.kind === 'error' ? hosts.message : null} />
        )}
      </main>
    </div>
  );
}

function HostTable({ hosts, loading, error }: { hosts: readonly HostSummary[]; loading: boolean; error: string | null }) {
  if (error) return <p className="notice">{error}</p>;
  if (hosts.length === 0) {
    return (
      <p className="muted empty" data-testid="no-hosts">
        {loading ? 'Loading hosts…' : 'No host has published yet. Start an agent on each host: proclens agent --nats URL'}
      </p>
    );
  }
  return (
    <table className="hosts" data-testid="hosts">
      <thead>
        <tr>
          <th>Host</th>
          <th>State</th>
          <th className="num">Processes</th>
          <th className="num">Containers</th>
          <th>Container names</th>
          <th>Hostname</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => (
          <tr key={h.name} data-testid="host-row" data-host={h.name} data-state={h.state} className={h.state}>
            <td>
              <a href={buildHostHref(h.name)} className="host-name">
                {h.name}
              </a>
            </td>
            <td>
              <HostState host={h} />
            </td>
            <td className="num" data-testid="host-processes">
              {h.processes.toLocaleString()}
            </td>
            <td className="num" data-testid="host-containers">
              {h.containers.toLocaleString()}
            </td>
            <td className="names" data-testid="host-container-names">
              {h.containerNames.join(', ')}
              {h.containers > h.containerNames.length ? <span className="muted"> +{h.containers - h.containerNames.length}</span> : null}
            </td>
            <td className="muted">{h.hostname ?? '—'}</td>
            <td className="note">{h.problem ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MatchTable({ matches, loading }: { matches: readonly HostMatch[]; loading: boolean }) {
  if (matches.length === 0) return <p className="muted empty">{loading ? 'Searching…' : 'No container or process matches on any host.'}</p>;
  return (
    <table className="hosts" data-testid="host-matches">
      <thead>
        <tr>
          <th>Host</th>
          <th>Found</th>
          <th className="num">PID</th>
          <th>Container</th>
          <th>Image</th>
        </tr>
      </thead>
      <tbody>
        {matches.map((m) => (
          <tr key={`${m.host}-${m.kind}-${m.pid ?? ''}-${m.container?.id ?? ''}`} data-testid="host-match" data-host={m.host}>
            <td>
              <a href={buildHostHref(m.host, m.kind === 'container' ? { container: m.container?.name } : { pid: m.pid })} className="host-name">
                {m.host}
              </a>
            </td>
            <td>
              {m.kind === 'container' ? 'container ' : 'process '}
              <strong>{m.name}</strong>
            </td>
            <td className="num">{m.pid ?? '—'}</td>
            <td>{m.container ? `${m.container.name} (${m.container.state})` : '—'}</td>
            <td className="muted">{m.container?.image ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
