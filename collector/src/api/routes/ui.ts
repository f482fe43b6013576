import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

/** Where the web UI's files are: the page and styles, the compiled modules, and uPlot. */
export interface UiRoutesOptions {
  /** collector/src/ui/static: index.html, CSS, icon. */
  staticDir?: string;
  /** collector/src/ui/dist: the browser modules `npm run build:ui` compiles. */
  distDir?: string;
  /** node_modules/uplot/dist. */
  uplotDir?: string;
}

const UI_ROOT = fileURLToPath(new URL('../../ui/', import.meta.url));

function uplotLocation(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('uplot/package.json');
  const v = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: unknown }).version;
  const version = typeof v === 'string' ? v : '0';
  return { dir: join(dirname(pkgPath), 'dist'), version };
}

/**
 * The Content-Security-Policy of the UI: nothing from other origins, no inline script except the
 * import map (by hash), no eval, no plugins, no framing. `connect-src 'self'` covers the same-origin
 * WebSocket of the live tail.
 */
export function uiContentSecurityPolicy(inlineScriptHashes: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${inlineScriptHashes.map((h) => `'sha256-${h}'`).join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The sha256 (base64) of every inline <script> of a page, for script-src. */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    if (m[1] !== undefined && m[1].trim() !== '') out.push(createHash('sha256').update(m[1], 'utf8').digest('base64'));
  }
  return out;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // The page may carry ?token= once: never let it leave in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>fnscope</title>
<p>The fnscope web UI has not been built. Run <code>npm run build:ui</code> (part of <code>npm ci</code> and
<code>npm start</code>) and reload. The API is available under <code>/api/v1/</code>.</p></html>\n`;

/**
 * The web UI at `/`: index.html, the compiled browser modules under /ui/app/, styles under
 * /ui/static/ and uPlot under /ui/vendor/uplot-VERSION/. Pages and modules are revalidated on every
 * load (ETag, `no-cache`); uPlot, whose path carries its version, is cached for a year.
 */
export function uiRoutes(opts: UiRoutesOptions = {}): (app: express.Express) => void {
  const staticDir = opts.staticDir ?? join(UI_ROOT, 'static');
  const distDir = opts.distDir ?? join(UI_ROOT, 'dist');
  const uplot = opts.uplotDir ? { dir: opts.uplotDir, version: 'local' } : uplotLocation();
  const vendorPath = `/ui/vendor/uplot-${uplot.version}`;
  const page = readFileSync(join(staticDir, 'index.html'), 'utf8').replaceAll('%UPLOT%', vendorPath);
  const csp = uiContentSecurityPolicy(inlineScriptHashes(page));
  const etag = `"${createHash('sha256').update(page).digest('base64url').slice(0, 27)}"`;

  const revalidate = (res: express.Response): void => {
    res.setHeader('Cache-Control', 'no-cache');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  };
  const serveDir = (dir: string, maxAge: 'revalidate' | 'immutable'): express.RequestHandler =>
    express.static(dir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      cacheControl: false,
      etag: true,
      lastModified: false,
      setHeaders: (res) => {
        if (maxAge === 'immutable') {
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
        } else revalidate(res);
      },
    });

  return (app) => {
    app.get(['/', '/index.html'], (req, res) => {
      revalidate(res);
      if (!existsSync(join(distDir, 'main.js'))) {
        res.status(503).type('html').setHeader('Content-Security-Policy', "default-src 'none'").send(NOT_BUILT);
        return;
      }
      res.setHeader('Content-Security-Policy', csp);
      res.setHeader('ETag', etag);
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.type('html').send(page);
    });
    app.get('/favicon.ico', (_req, res) => res.redirect(301, '/ui/static/favicon.svg'));
    app.use('/ui/app', serveDir(distDir, 'revalidate'));
    app.use('/ui/static', serveDir(staticDir, 'revalidate'));
    app.use(vendorPath, serveDir(uplot.dir, 'immutable'));
    app.use('/ui', (_req, res) => {
      res.status(404).type('text/plain').setHeader('Cache-Control', 'no-cache').send('not found\n');
    });
  };
}
