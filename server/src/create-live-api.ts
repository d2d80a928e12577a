import express from 'express';
import type { Request, Response, Router } from 'express';
import { buildContainerDetail, maskEnvironment } from '@proclens/shared';
import type { ContainerConfig, ContainerInfo, ProcessDetail, ProcessInfo, Snapshot } from '@proclens/shared';
import { readProcessDetail } from './read-process-detail.ts';
import type { SnapshotFeed } from './snapshot-feed.ts';

/** Linux's largest possible pid (`PID_MAX_LIMIT` on 64-bit). */
const PID_MAX_LIMIT = 4_194_304;

export interface LiveApiOptions {
  feed: SnapshotFeed;
  procRoot: string;
  revealSecrets: boolean;
  /** A process not in the snapshot yet (born since the last tick): read from `/proc/<pid>` alone, never a scan. */
  readProcess(pid: number): ProcessInfo | null;
  inspectContainer(container: ContainerInfo): Promise<ContainerConfig | null>;
}

/** `pid` from a URL segment: decimal, 1 to PID_MAX_LIMIT, or null. */
export function parsePidParam(raw: string): number | null {
  if (!/^[1-9]\d{0,6}$/.test(raw)) return null;
  const pid = Number(raw);
  return pid <= PID_MAX_LIMIT ? pid : null;
}

/** A container by full id, name, or an unambiguous id prefix of at least 4: what `docker inspect` takes. */
export function findContainer(containers: readonly ContainerInfo[], ref: string): ContainerInfo | null {
  if (!/^[\w.-]{1,128}$/.test(ref)) return null;
  const exact = containers.find((c) => c.id === ref || c.name === ref);
  if (exact) return exact;
  if (ref.length < 4) return null;
  const prefixed = containers.filter((c) => c.id.startsWith(ref));
  return prefixed.length === 1 ? (prefixed[0] ?? null) : null;
}

/** The live host's read-only API: the snapshot, containers and their configuration, one process in detail. */
export function createLiveApi(options: LiveApiOptions): Router {
  const router = express.Router();
  const current = (): Snapshot => options.feed.current();

  router.get('/snapshot', (_req, res) => void res.json(current()));
  router.get('/containers', (_req, res) => void res.json(current().containers));

  router.get('/processes/:pid', async (req: Request, res: Response) => {
    const raw = String(req.params.pid ?? '');
    const pid = parsePidParam(raw);
    if (pid === null) return void res.status(400).json({ error: 'pid must be a decimal number from 1 to 4194304', pid: raw });
    const snapshot = current();
    const process = snapshot.processes.find((p) => p.pid === pid) ?? options.readProcess(pid);
    const detail = process ? readProcessDetail(process, { procRoot: options.procRoot, revealSecrets: options.revealSecrets }) : null;
    if (!process || !detail) return void res.status(404).json({ error: 'no such process', pid });
    const container = process.containerId ? (snapshot.containers.find((c) => c.id === process.containerId) ?? null) : null;
    const config = container ? await options.inspectContainer(container) : null;
    const body: ProcessDetail = { ...detail, container, containerEnv: config ? maskEnvironment(config.env, options.revealSecrets) : null };
    res.json(body);
  });

  router.get('/containers/:ref', async (req: Request, res: Response) => {
    const ref = String(req.params.ref ?? '');
    const container = findContainer(current().containers, ref);
    const config = container ? await options.inspectContainer(container) : null;
    if (!container || !config) return void res.status(404).json({ error: 'no such container', ref });
    res.json(buildContainerDetail(container, config, options.revealSecrets));
  });
  return router;
}
