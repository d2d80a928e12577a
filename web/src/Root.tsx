import { useMemo } from 'react';
import { hubStatusSchema } from '@proclens/shared';
import { App } from './App.tsx';
import { ApiBaseContext, hostApiBase } from './api-base.ts';
import { HostList } from './HostList.tsx';
import { HubBar } from './HubBar.tsx';
import { parseHubRoute } from './hub-route.ts';
import { useJson } from './use-json.ts';
import './hub.css';

/** Asked once: whether this server is a hub. */
const ONCE_MS = 24 * 60 * 60 * 1000;

/**
 * One page for both servers. A single-host server answers `/api/hub` with 404 and keeps the
 * dashboard; a hub shows its host list at `/` and each host's dashboard at `/hosts/NAME`, the
 * dashboard unchanged but for where it reads (`ApiBaseContext`).
 */
export function Root() {
  const route = useMemo(() => parseHubRoute(window.location.pathname), []);
  const probe = useJson(route.kind === 'home' ? '/api/hub' : null, hubStatusSchema, ONCE_MS);
  const base = useMemo(() => (route.kind === 'host' ? hostApiBase(route.name) : null), [route]);
  if (route.kind === 'host' && base) {
    return (
      <ApiBaseContext.Provider value={base}>
        <div className="hub-host">
          <HubBar name={route.name} />
          <App key={route.name} />
        </div>
      </ApiBaseContext.Provider>
    );
  }
  // The dashboard renders at once (its keys work from the first moment); a hub swaps it for its host list.
  return probe.kind === 'ok' ? <HostList /> : <App />;
}
