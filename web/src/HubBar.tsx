import { HostState } from './HostList.tsx';
import { buildHostHref } from './hub-route.ts';
import { useHosts } from './use-hosts.ts';

/** The strip above one host's dashboard at the hub: back to every host, this host's state, another host. */
export function HubBar({ name }: { name: string }) {
  const hosts = useHosts();
  const rows = hosts.kind === 'ok' ? hosts.value : [];
  const host = rows.find((h) => h.name === name);
  return (
    <div className={`hub-bar ${host?.state ?? ''}`} data-testid="hub-bar" data-host={name}>
      <a href="/" className="back">
        ← All hosts
      </a>
      <strong className="hub-host-name">{name}</strong>
      {host ? <HostState host={host} /> : <span className="muted">{hosts.kind === 'ok' ? 'the hub knows no host of this name' : ''}</span>}
      {host?.problem ? <span className="note">{host.problem}</span> : null}
      <label className="switch-host">
        Host{' '}
        <select value={name} aria-label="Show another host" onChange={(e) => window.location.assign(buildHostHref(e.target.value))}>
          {host ? null : <option value={name}>{name}</option>}
          {rows.map((h) => (
            <option key={h.name} value={h.name}>
              {h.name} {h.state === 'stale' ? '(stale)' : ''}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
