import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { ProcessDetail } from '@proclens/shared';
import { buildContainerDetail, maskEnvironment } from '@proclens/shared';
import type { ContainerConfig } from '@proclens/shared';
import type { AllowedHosts } from './check-request.ts';
import { isAllowedHost } from './check-request.ts';
import { isAuthorised, tokenCookieName, tokenMatches } from './check-token.ts';
import type { Logger } from './logger.ts';
import type { ProcessMonitor } from './process-monitor.ts';
import { readProcessDetail } from './read-process-detail.ts';

/** Linux's largest possible pid (`PID_MAX_LIMIT` on 64-bit). */
const PID_MAX_LIMIT = 4_194_304;

export interface AppOptions {
  monitor: ProcessMonitor;
  procRoot: string;
  revealSecrets: boolean;
  allowedHosts: AllowedHosts;
  anyHost: boolean;
  /** When set, every request must carry it (query, cookie or bearer header). */
  token: string | null;
  /** The port actually listened on, known once listening: it names the token cookie. */
  port(): number;
  /** The built web app; served when present. */
  webRoot: string;
  inspectContainer(id: string): Promise<ContainerConfig | null>;
  log: Logger;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** The HTTP API and the web app. Read-only: nothing here changes the host. */
export function createApp(options: AppOptions): express.Express {
  const { monitor, log } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.set(SECURITY_HEADERS);
    if (!isAllowedHost(req.headers, options.allowedHosts, options.anyHost)) {
      res.status(403).json({ error: 'forbidden host', host: req.headers.host ?? null });
      return;
    }
    next();
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (options.token === null) return next();
    const url = new URL(req.originalUrl, 'http://x');
    const fromQuery = url.searchParams.get('token');
    if (fromQuery && tokenMatches(fromQuery, options.token) && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // Trade the token in the address bar for a cookie, so a shared screen never shows it.
      res.cookie(tokenCookieName(options.port()), options.token, { httpOnly: true, sameSite: 'strict', path: '/' });
      url.searchParams.delete('token');
      res.redirect(302, `${url.pathname}${url.search}`);
      return;
    }
    if (isAuthorised(req.headers, req.originalUrl, options.port(), options.token)) return next();
    res.status(401).json({ error: 'this dashboard needs its access token: open the URL the server printed at start' });
  });

  app.get('/api/snapshot', (_req, res) => void res.json(monitor.current()));
  app.get('/api/containers', (_req, res) => void res.json(monitor.current().containers));

  app.get('/api/processes/:pid', async (req: Request, res: Response) => {
    const raw = String(req.params.pid ?? '');
    const pid = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(pid) || pid < 1 || pid > PID_MAX_LIMIT) {
      res.status(400).json({ error: 'pid must be a decimal number from 1 to 4194304', pid: raw });
      return;
    }
    // A process born since the last tick is not in the snapshot yet: tick once more.
    const process = monitor.current().processes.find((p) => p.pid === pid) ?? monitor.tick().processes.find((p) => p.pid === pid);
    const detail = process ? readProcessDetail(process, { procRoot: options.procRoot, revealSecrets: options.revealSecrets }) : null;
    if (!process || !detail) {
      res.status(404).json({ error: 'no such process', pid });
      return;
    }
    const container = process.containerId ? (monitor.current().containers.find((c) => c.id === process.containerId) ?? null) : null;
    const inspect = container ? await options.inspectContainer(container.id) : null;
    const body: ProcessDetail = {
      ...detail,
      container,
      containerEnv: inspect ? maskEnvironment(inspect.env, options.revealSecrets) : null,
    };
    res.json(body);
  });

  app.get('/api/containers/:ref', async (req: Request, res: Response) => {
    const ref = String(req.params.ref ?? '');
    // A full or short id, or a name: what `docker inspect` takes, and nothing else.
    const containers = monitor.current().containers;
    const container = /^[\w.-]{1,128}$/.test(ref)
      ? (containers.find((c) => c.id === ref || c.name === ref) ?? (ref.length >= 4 ? containers.find((c) => c.id.startsWith(ref)) : undefined))
      : undefined;
    const inspect = container ? await options.inspectContainer(container.id) : null;
    if (!container || !inspect) {
      res.status(404).json({ error: 'no such container', ref });
      return;
    }
    res.json(buildContainerDetail(container, inspect, options.revealSecrets));
  });

  app.use('/api', (_req, res) => void res.status(404).json({ error: 'no such endpoint' }));

  const index = path.join(options.webRoot, 'index.html');
  if (existsSync(index)) {
    app.use(express.static(options.webRoot, { index: false, etag: false }));
    app.get(/.*/, (_req, res) => res.sendFile(index));
  } else {
    app.get(/.*/, (_req, res) => void res.status(503).type('text').send('The web app is not built. Run `npm run build` (or `npm start`, which builds it).\n'));
  }

  // Express 5 forwards rejected promises here: answer, log, and keep serving.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: 'bad request' });
      return;
    }
    log.error('request failed', { error: err instanceof Error ? err.message : String(err) });
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
