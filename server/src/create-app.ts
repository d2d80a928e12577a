import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Access, Role } from './access.ts';
import type { Logger } from './logger.ts';
import { buildSafeRedirect, parseRequestTarget } from './parse-request-parts.ts';

export interface AppOptions {
  access: Access;
  /** The mode's read-only API (live host, recording or hub), mounted at `/api` behind the token. */
  api: Router;
  /** The built web app; served when present. */
  webRoot: string;
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

/** What the page shell says when opened without its token (its scripts need the token too). */
const NEEDS_TOKEN = 'This dashboard needs its access token. Open the address the proclens server printed when it started: it ends in ?token=…';

declare module 'express-serve-static-core' {
  interface Request {
    /** What the request's credentials grant, set once admitted. */
    role?: Role;
  }
}

/**
 * The HTTP side: security headers, the Host check, the token (the page URL trades `?token=` for
 * a cookie; everything else needs the cookie or a bearer header), the mode's API and the web app.
 * Read-only: nothing here changes the host. Nothing a client sends makes it answer 5xx.
 */
export function createApp(options: AppOptions): express.Express {
  const { access, log } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  const index = path.join(options.webRoot, 'index.html');
  const shell = existsSync(index) ? readFileSync(index, 'utf8') : null;
  // The built app's own files (`/assets/…`, `/favicon.svg`); every other path is the page shell.
  const files = new Set(existsSync(options.webRoot) ? readdirSync(options.webRoot).map((name) => `/${name}`) : []);
  const isPage = (pathname: string): boolean =>
    pathname !== '/ws' &&
    pathname !== '/api' &&
    !pathname.startsWith('/api/') &&
    (pathname === '/index.html' || !files.has(`/${pathname.split('/')[1] ?? ''}`));

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.set(SECURITY_HEADERS);
    if (log.enabled('debug')) {
      const started = performance.now();
      // Read now: a router mounted at /api strips its prefix from req.url before the answer.
      const { path } = parseRequestTarget(req.url);
      res.on('finish', () =>
        log.debug('request', {
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        }),
      );
    }
    const host = access.checkHost(req.headers);
    if (host && !host.ok) return void res.status(host.status).json({ error: host.error });
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.status(405).set('Allow', 'GET, HEAD').json({ error: 'this dashboard is read-only' });
    next();
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const target = parseRequestTarget(req.url);
    const isApi = target.path === '/api' || target.path.startsWith('/api/');
    const offered = target.query.get('token');
    if (isPage(target.path) && offered !== null) {
      // The page URL is the one place a token may travel in the query: trade it for a cookie and
      // drop it from the address bar, so a shared screen never shows it.
      const role = access.matchToken(offered);
      if (!role) return void res.status(401).type('text').send(`The token in this address is not this server's. ${NEEDS_TOKEN}\n`);
      target.query.delete('token');
      res.set('Set-Cookie', access.buildCookie(offered));
      return void res.redirect(302, buildSafeRedirect(target.path, target.query));
    }
    if (isPage(target.path) && shell !== null) {
      // The shell alone reveals nothing; its scripts and every API call need the token. Opened
      // without one, it says so instead of staying blank.
      const admitted = access.authenticate(req.headers) !== null;
      return void res.type('html').send(admitted ? shell : shell.replace('<div id="root"></div>', `<div id="root"><p>${NEEDS_TOKEN}</p></div>`));
    }
    if (isApi && offered !== null) {
      return void res.status(401).json({ error: 'the token is accepted only in the page URL; scripts send it as "Authorization: Bearer TOKEN"' });
    }
    const admission = access.admit(req.headers, { websocket: false });
    if (!admission.ok) return void res.status(admission.status).json({ error: admission.error });
    req.role = admission.role;
    next();
  });

  app.use('/api', options.api);
  app.use('/api', (_req, res) => void res.status(404).json({ error: 'no such endpoint' }));

  if (shell !== null) {
    // No directory redirects: serve-static builds them from the request target, and an
    // absolute-form target (`GET http://evil.com/assets`) made one to another host.
    app.use(express.static(options.webRoot, { index: false, etag: false, fallthrough: true, redirect: false }));
    app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  } else {
    app.use((_req, res) => void res.status(404).json({ error: 'the web app is not built: run `npm run build` (`npm start` builds it)' }));
  }

  // Express 5 forwards thrown errors and rejected promises here: answer, log, and keep serving.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return void res.status(status).json({ error: 'bad request' });
    log.error('request failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
  return app;
}
