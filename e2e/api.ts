import { request } from 'node:http';
import { snapshotSchema } from '@proclens/shared';
import type { ProcessInfo, Snapshot } from '@proclens/shared';

export function serverUrl(): string {
  const url = process.env.PROCLENS_URL;
  if (!url) throw new Error('PROCLENS_URL is not set: the global setup did not start the server');
  return url;
}

/** The dashboard's page URL with more query parameters (the server trades the token for a cookie and keeps them). */
export function pageUrl(query = '', base = serverUrl()): string {
  return query ? `${base}&${query}` : base;
}

/** An API call as a script makes it: the token from the printed URL, as a bearer header. */
export function apiFetch(path: string, base = serverUrl()): Promise<Response> {
  const url = new URL(base);
  const token = url.searchParams.get('token') ?? '';
  return fetch(new URL(path, url.origin), { headers: { Authorization: `Bearer ${token}` } });
}

/** The server's snapshot, validated with the same schema the web app uses. */
export async function fetchSnapshot(base = serverUrl()): Promise<Snapshot> {
  const response = await apiFetch('/api/snapshot', base);
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  return snapshotSchema.parse(await response.json());
}

/** The four links of the runtime chain for one container: dockerd → containerd → shim → init. */
export function findChain(snapshot: Snapshot, containerName: string): { dockerd: ProcessInfo; containerd: ProcessInfo; shim: ProcessInfo; init: ProcessInfo } {
  const container = snapshot.containers.find((c) => c.name === containerName);
  if (!container?.pid) throw new Error(`container ${containerName} has no init pid`);
  const byPid = new Map(snapshot.processes.map((p) => [p.pid, p]));
  const init = byPid.get(container.pid);
  const shim = init ? byPid.get(init.ppid) : undefined;
  const containerd = shim ? byPid.get(shim.logicalParent ?? shim.ppid) : undefined;
  const dockerd = containerd ? byPid.get(containerd.logicalParent ?? containerd.ppid) : undefined;
  if (!init || !shim || !containerd || !dockerd) throw new Error(`incomplete chain for ${containerName}`);
  return { dockerd, containerd, shim, init };
}

export interface RawResponse {
  status: number;
  body: string;
}

/** A GET with any headers, Host included (fetch drops a custom Host); status -1 when the connection fails. */
export function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const req = request({ host: target.hostname, port: target.port, path, headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: -1, body: '' }));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The token in a dashboard URL. */
export function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token') ?? '';
}
