/**
 * The web UI behind bearer-token authentication, in chromium: a token given once as ?token= leaves
 * the address bar, every API call carries it as `Authorization: Bearer`, the live tail as the
 * `access_token` query parameter; without a token the UI asks for one. The server side is the
 * collector's own token-file authenticator and middleware; the page's static files stay open (they
 * hold no data), as the collector serves them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { Page } from 'playwright-core';
import { createApiApp } from '../../collector/src/api/app.ts';
import { TokenFileAuthenticator, upgradeAuthorizer } from '../../collector/src/api/auth/index.ts';
import { guardApp } from '../../collector/src/api/guard.ts';
import { uiRoutes } from '../../collector/src/api/routes/ui.ts';
import { listen, type RunningServer } from '../../collector/src/api/server.ts';
import { LogBuffer, TailHub, attachTailEndpoint } from '../../collector/src/live/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { buildUi, launchBrowser, type Browser } from '../support/browser.ts';
import { eventually } from '../support/serve.ts';
import { fakeBackend, fn } from '../support/fake-backend.ts';
import { line } from '../support/records.ts';

const TOKEN = 'ui-test-token-4f1c9e';
const dir = mkdtempSync(join(tmpdir(), 'fnscope-ui-auth-'));
let server: RunningServer;
let browser: Browser;
let page: Page;
let auth: TokenFileAuthenticator;
let tail: { close(): void };
const hub = new TailHub({ clock: systemClock });
const buffer = new LogBuffer();
const seen: Array<{ path: string; authorization: string | undefined; referer: string | undefined }> = [];


before(async () => {
  await buildUi();
  writeFileSync(join(dir, 'tokens'), `${TOKEN},ui-test\n`);
  auth = await TokenFileAuthenticator.open({ path: join(dir, 'tokens'), clock: systemClock, logger: silentLogger() });
  const inner = createApiApp({ backend: fakeBackend([fn('hello')]), logger: silentLogger(), extra: [uiRoutes()] });
  // The collector's own guard: its UI asset paths are open, everything else needs the token.
  const outer = express();
  outer.use((req, _res, next) => {
    seen.push({ path: req.path, authorization: req.headers.authorization, referer: req.headers.referer });
    next();
  });
  outer.use(guardApp(inner, { authenticator: auth }));
  server = await listen(outer, { host: '127.0.0.1', port: 0 });
  tail = attachTailEndpoint(server.server, { hub, buffer, clock: systemClock, logger: silentLogger(), authorize: upgradeAuthorizer(auth) });
  buffer.add(line('a line only a signed-in tail can see', { namespace: 'default', function: 'hello', time: Date.now() }));
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
  tail?.close();
  hub.closeAll(1001, 'done');
  auth?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('without a token the UI asks for one, and works once it is given', async () => {
  await page.goto(`${server.url}/#/functions`);
  const dialog = page.getByRole('dialog', { name: 'This collector needs a token' });
  await dialog.waitFor();
  await dialog.getByLabel('Token').fill(TOKEN);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('tr[data-key="default/hello"]').waitFor();
  const apiCalls = seen.filter((s) => s.path.startsWith('/api/'));
  assert.ok(apiCalls.some((s) => s.authorization === `Bearer ${TOKEN}`));
});

test('a token in the URL is kept for the tab, removed from the address bar, and used by fetch and the live tail', async () => {
  const fresh = await browser.context.newPage();
  seen.length = 0;
  await fresh.goto(`${server.url}/?token=${TOKEN}#/logs?namespace=default&function=hello`);
  await fresh.locator('.tail-status[data-state="live"]').waitFor({ timeout: 10_000 });
  assert.doesNotMatch(fresh.url(), /token/);
  assert.equal(await fresh.evaluate(() => sessionStorage.getItem('fnscope.token')), TOKEN);
  await fresh.locator('.tail-viewport .tr', { hasText: 'a line only a signed-in tail can see' }).waitFor({ timeout: 10_000 });
  await fresh.goto(`${server.url}/#/functions`);
  await fresh.locator('tr[data-key="default/hello"]').waitFor();
  const api = seen.filter((s) => s.path.startsWith('/api/v1/'));
  assert.ok(api.length > 0);
  for (const s of api) assert.equal(s.authorization, `Bearer ${TOKEN}`, `${s.path} carries the token`);
  for (const s of seen) assert.ok(!(s.referer ?? '').includes(TOKEN), `no Referer leaks the token (${s.path})`);
  await fresh.close();
});

test('a wrong token is refused and asked for again', async () => {
  const other = await browser.context.newPage();
  await other.goto(`${server.url}/?token=not-the-token#/errors`);
  await other.getByRole('dialog', { name: 'This collector needs a token' }).waitFor();
  assert.equal(await other.evaluate(() => sessionStorage.getItem('fnscope.token')), null, 'a refused token is forgotten');
  await eventually(async () => ((await other.locator('table.grid tbody tr').count()) > 0 ? true : undefined), 10_000, 'the errors table');
  assert.equal(await other.locator('table.grid tbody tr[data-key]').count(), 0, 'no data without a valid token');
  await other.close();
});
