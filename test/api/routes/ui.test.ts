import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiApp } from '../../../collector/src/api/app.ts';
import { inlineScriptHashes, uiContentSecurityPolicy, uiRoutes } from '../../../collector/src/api/routes/ui.ts';
import { listen } from '../../../collector/src/api/server.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import { fakeBackend } from '../../support/fake-backend.ts';

const dist = mkdtempSync(join(tmpdir(), 'fnscope-ui-dist-'));
writeFileSync(join(dist, 'main.js'), 'export const ok = 1;\n');
const empty = mkdtempSync(join(tmpdir(), 'fnscope-ui-empty-'));
const uplotVersion = (JSON.parse(readFileSync('node_modules/uplot/package.json', 'utf8')) as { version: string }).version;

const built = await listen(createApiApp({ backend: fakeBackend([]), logger: silentLogger(), extra: [uiRoutes({ distDir: dist })] }), { host: '127.0.0.1', port: 0 });
const unbuilt = await listen(createApiApp({ backend: fakeBackend([]), logger: silentLogger(), extra: [uiRoutes({ distDir: empty })] }), { host: '127.0.0.1', port: 0 });
after(async () => {
  await built.close();
  await unbuilt.close();
  rmSync(dist, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

test('the page: HTML with a CSP that allows no other origin and only its own import map inline', async () => {
  const r = await fetch(`${built.url}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const html = await r.text();
  const csp = r.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /https?:|\*|unsafe-inline|unsafe-eval/);
  const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(map).digest('base64');
  assert.ok(csp.includes(`'sha256-${hash}'`), 'the import map is allowed by its hash');
  assert.equal(inlineScriptHashes(html).length, 1, 'no other inline script');
  assert.deepEqual(JSON.parse(map), { imports: { uplot: `/ui/vendor/uplot-${uplotVersion}/uPlot.esm.js` } });
  // No external origin anywhere in the page.
  assert.doesNotMatch(html.replace(/<!doctype html>/i, ''), /(src|href)="(https?:)?\/\//);
});

test('the page revalidates by ETag', async () => {
  const first = await fetch(`${built.url}/`);
  const etag = first.headers.get('etag');
  assert.ok(etag);
  // (fetch would add "Cache-Control: no-cache" to a conditional request, which forbids a 304.)
  const again = await fetch(`${built.url}/`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
  assert.equal(again.status, 304);
});

const assets: Array<{ path: string; status: number; type?: RegExp; cache?: string }> = [
  { path: '/ui/app/main.js', status: 200, type: /javascript/, cache: 'no-cache' },
  { path: '/ui/static/app.css', status: 200, type: /text\/css/, cache: 'no-cache' },
  { path: '/ui/static/favicon.svg', status: 200, type: /image\/svg/ },
  { path: `/ui/vendor/uplot-${uplotVersion}/uPlot.esm.js`, status: 200, type: /javascript/, cache: 'public, max-age=31536000, immutable' },
  { path: `/ui/vendor/uplot-${uplotVersion}/uPlot.min.css`, status: 200, type: /text\/css/ },
  { path: '/ui/app/nope.js', status: 404 },
  { path: '/ui/app/%2e%2e/%2e%2e/%2e%2e/package.json', status: 404 },
  { path: '/ui/static/../../../../package.json', status: 404 },
  { path: '/ui/elsewhere', status: 404 },
];
for (const a of assets) {
  test(`GET ${a.path} → ${a.status}`, async () => {
    const r = await fetch(built.url + a.path);
    assert.equal(r.status, a.status);
    if (a.type) assert.match(r.headers.get('content-type') ?? '', a.type);
    if (a.cache) assert.equal(r.headers.get('cache-control'), a.cache);
    if (a.status === 404) assert.doesNotMatch(await r.text(), /"name"\s*:\s*"fnscope"/);
  });
}

test('the API is untouched by the UI routes', async () => {
  const r = await fetch(`${built.url}/api/v1/functions`);
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { status: 'success', data: [] });
});

test('without a build the page says how to build it', async () => {
  const r = await fetch(`${unbuilt.url}/`);
  assert.equal(r.status, 503);
  assert.match(await r.text(), /npm run build:ui/);
});

test('the CSP lists each inline script hash', () => {
  assert.equal(uiContentSecurityPolicy(['abc=']).includes("script-src 'self' 'sha256-abc='"), true);
  assert.equal(uiContentSecurityPolicy([]).includes("script-src 'self';"), true);
});
