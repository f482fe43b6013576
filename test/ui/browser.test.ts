/**
 * The web UI in a real browser (Debian chromium through playwright-core) against `fnscope serve
 * --sandbox`: the pages a newcomer uses, a bad and a good call through the Invoke form, the KeyError
 * as one block in the live tail, keyboard use, labels and contrast. Screenshots of every page go to
 * a temporary folder, or to docs/screenshots/ with UPDATE_SCREENSHOTS=1 (so a test run leaves the
 * checkout as it found it).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, buildUi, launchBrowser, type Browser } from '../support/browser.ts';
import { eventually, startServe, type RunningServe } from '../support/serve.ts';

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : join(tmpdir(), `fnscope-shots-${process.pid}`);
let serve: RunningServe;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  await buildUi();
  mkdirSync(SHOTS, { recursive: true });
  serve = await startServe(['--scrape-interval', '2s', '--scrape-timeout', '1s', '--sandbox-rate', '3']);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404/.test(m.text())) pageErrors.push(m.text());
  });
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

async function open(route: string): Promise<void> {
  await page.goto(`${serve.url}/#${route}`);
  await page.locator('main h1').first().waitFor();
}

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Form controls without an accessible name, and buttons or links without text. */
function unlabeled(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      if (el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.closest('label')) continue;
      bad.push(el.outerHTML.slice(0, 100));
    }
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], [role="img"], [role="tree"]')) {
      if (el.hidden || el.closest('[hidden]')) continue;
      if ((el.textContent ?? '').trim() || el.getAttribute('aria-label') || el.title) continue;
      bad.push(el.outerHTML.slice(0, 100));
    }
    return bad;
  });
}

/** Visible text whose contrast with its background is under WCAG AA (4.5:1, 3:1 for large text). */
function lowContrast(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA => {
      const srgb = /color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)/.exec(c);
      if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      const v = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0, v[3] ?? 1];
    };
    const over = (top: RGBA, under: RGBA): RGBA => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as RGBA;
    const background = (el: Element | null): RGBA => {
      const chain: RGBA[] = [];
      for (let e = el; e; e = e.parentElement) chain.push(parse(getComputedStyle(e).backgroundColor));
      let c: RGBA = parse(getComputedStyle(document.documentElement).backgroundColor);
      if (c[3] === 0) c = [255, 255, 255, 1];
      for (const layer of chain.reverse()) if (layer[3] > 0) c = over(layer, c);
      return c;
    };
    const lum = (c: RGBA): number => {
      const f = (v: number): number => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const bad: string[] = [];
    const els = document.querySelectorAll<HTMLElement>('h1, h2, h3, p, td, th, a, button, label, .badge, .tr .tx, .tr .tt, .tr .tp, .tr .et, .tr .fn, .exc-title, .hint, .meta, .chip, .stat .value, .stat .label, figcaption');
    for (const el of [...els].slice(0, 600)) {
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent ?? '').join('').trim();
      if (!text || el.offsetParent === null) continue;
      const cs = getComputedStyle(el);
      const bg = background(el);
      const fg = over(parse(cs.color), bg);
      const l1 = lum(fg);
      const l2 = lum(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(`${ratio.toFixed(2)} ${el.tagName.toLowerCase()}.${el.className} "${text.slice(0, 30)}" ${cs.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')})`);
    }
    return bad;
  });
}

async function checkAccessible(where: string): Promise<void> {
  assert.deepEqual(await unlabeled(page), [], `${where}: every control has a label`);
  assert.deepEqual(await lowContrast(page), [], `${where}: text contrast`);
}

const SANDBOX_FUNCTIONS = ['bikesearch', 'hello', 'kubelesshello', 'orders', 'slowpoke'];

test('the functions table lists the sandbox functions, and its numbers move', async () => {
  await open('/functions');
  const rows = page.locator('table.grid tbody tr[data-key]');
  await eventually(async () => ((await rows.count()) >= SANDBOX_FUNCTIONS.length ? true : undefined), 20_000, 'all sandbox functions');
  const names = await page.locator('table.grid tbody tr[data-key] .fn-name a').allTextContents();
  assert.deepEqual([...names].sort(), SANDBOX_FUNCTIONS);
  const numbers = (): Promise<string> => page.locator('table.grid tbody tr[data-key]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-key')}:${[...tr.querySelectorAll('td.num')].map((td) => td.textContent).join('|')}`).sort().join('\n'));
  const first = await numbers();
  const moved = await eventually(async () => {
    const now = await numbers();
    return now !== first ? now : undefined;
  }, 30_000, 'the numbers to change');
  assert.notEqual(moved, first);
  // bikesearch fails on bad input: after the failing call below it stands out; here it at least has calls.
  const calls = await page.locator('tr[data-key="default/bikesearch"] .calls').textContent();
  assert.match(calls ?? '', /^[\d.k]+$/);
  await checkAccessible('functions');
});

test('keyboard: Tab reaches a function and Enter opens it', async () => {
  await open('/functions');
  await page.locator('tr[data-key="default/hello"] .fn-name a').waitFor();
  await page.locator('main h1').focus();
  let reached = false;
  for (let presses = 0; presses < 60 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = (await page.evaluate(() => document.activeElement?.textContent ?? '')) === 'hello';
  }
  assert.equal(reached, true, 'Tab reaches the hello link');
  await page.keyboard.press('Enter');
  await page.locator('main h1', { hasText: /^hello$/ }).waitFor({ timeout: 5000 });
  assert.match(page.url(), /#\/functions\/default\/hello$/);
});

test('bikesearch: a bad call from the Invoke form shows its KeyError as one block in the live tail', async () => {
  await open('/functions/default/bikesearch?range=5m');
  await page.locator('.tail-status[data-state="live"]').waitFor();
  await page.getByLabel('Method').selectOption('POST');
  await page.getByLabel('Payload').fill('{"station": "Union"}');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.locator('.invoke-response .badge', { hasText: 'HTTP 500' }).waitFor({ timeout: 15_000 });
  // The trace arrives as one exception block: a head row "KeyError: 'term'" followed by its frame rows.
  const head = page.locator('.tail-viewport .tr.k-head', { hasText: "KeyError: 'term'" }).last();
  await head.waitFor({ timeout: 15_000 });
  const block = await head.evaluate((el) => {
    const i = Number((el as HTMLElement).dataset['i']);
    const rows = [...el.parentElement!.querySelectorAll<HTMLElement>('.tr:not([hidden])')].sort((a, b) => Number(a.dataset['i']) - Number(b.dataset['i']));
    const after = rows.filter((r) => Number(r.dataset['i']) > i);
    const frames: string[] = [];
    for (const r of after) {
      if (!r.classList.contains('k-frame')) break;
      frames.push(r.textContent ?? '');
    }
    return { expanded: el.getAttribute('aria-expanded'), frames, tracebackLines: rows.filter((r) => r.classList.contains('k-line') && /Traceback \(most recent call last\)/.test(r.textContent ?? '')).length };
  });
  assert.equal(block.expanded, 'true');
  assert.ok(block.frames.length >= 1, 'frames follow the head');
  assert.ok(block.frames.some((f) => /bottle\.py/.test(f)), `frames name the trace's files: ${block.frames.join(' / ')}`);
  assert.equal(block.tracebackLines, 0, 'the trace is not shown as separate plain lines');
  // The call's own log lines beside the response include the same exception.
  await page.locator('.invoke-lines .exc-title', { hasText: 'KeyError' }).first().waitFor({ timeout: 10_000 });
  // Folding: the head toggles its block.
  await head.locator('.tog').click();
  await eventually(async () => ((await head.getAttribute('aria-expanded')) === 'false' ? true : undefined), 20_000, 'the block to fold');
  await head.locator('.tog').click();
  await eventually(async () => ((await head.getAttribute('aria-expanded')) === 'true' ? true : undefined), 20_000, 'the block to unfold');
  // Keyboard: the tail is one tab stop; Home makes the first row active, Enter opens a line below.
  await page.locator('.tail-bar button', { hasText: 'Pause' }).click();
  const viewport = page.locator('.tail-viewport');
  await viewport.focus();
  await page.keyboard.press('Home');
  await eventually(async () => {
    const id = await viewport.getAttribute('aria-activedescendant');
    return id && (await page.locator(`[id="${id}"]`).getAttribute('data-i')) === '0' ? true : undefined;
  }, 20_000, 'the first row to be the active one');
  // A click on a line shows it in full below the tail.
  const i = await viewport.evaluate((v) => Math.min(...[...v.querySelectorAll<HTMLElement>('.tr.k-line:not([hidden])')].map((r) => Number(r.dataset['i']))));
  const row = page.locator(`.tail-viewport .tr[data-i="${i}"]`);
  const text = (await row.locator('.tx').textContent()) ?? '';
  await row.click();
  assert.equal(await page.locator('.tail-details pre.raw').textContent(), text.replace(/…$/, ''), 'the selected line in full');
  await page.locator('.tail-bar button', { hasText: 'Resume' }).click();
});

test('invoking a function from the form shows its response and the lines it logged', async () => {
  await page.getByLabel('Payload').fill('{"term": "park"}');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.locator('.invoke-response .badge', { hasText: 'HTTP 200' }).waitFor({ timeout: 15_000 });
  const body = await page.locator('.invoke-response pre.body').textContent();
  assert.match(body ?? '', /Riverside Park/);
  assert.deepEqual((JSON.parse(body ?? '{}') as { term?: string }).term, 'park');
  await page.locator('.invoke-lines', { hasText: "bikesearch term='park'" }).waitFor({ timeout: 10_000 });
  // Charts have data by now; the function page is the one worth a look.
  await eventually(async () => ((await page.locator('.chart canvas').count()) >= 3 ? true : undefined), 20_000, 'the charts to draw');
  await page.locator('.stat .value').first().waitFor();
  await checkAccessible('function');
});

test('dark mode follows the system and the toggle; the tail pauses and resumes', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const bg = (): Promise<string> => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const dark = await bg();
  const darkLum = await page.evaluate(() => {
    const m = /\d+/g;
    const v = (getComputedStyle(document.documentElement).backgroundColor.match(m) ?? []).map(Number);
    return (v[0]! + v[1]! + v[2]!) / 3;
  });
  assert.ok(darkLum < 60, `dark background under prefers-color-scheme: dark (${dark})`);
  await checkAccessible('function, dark');
  await page.getByRole('button', { name: /Colour theme/ }).click(); // auto → light
  assert.equal(await page.evaluate(() => document.documentElement.dataset['theme']), 'light');
  assert.notEqual(await bg(), dark);
  await page.getByRole('button', { name: /Colour theme/ }).click(); // light → dark
  await page.getByRole('button', { name: /Colour theme/ }).click(); // dark → auto
  await page.emulateMedia({ colorScheme: 'light' });

  const pause = page.locator('.tail-bar button', { hasText: /^(Pause|Resume)$/ });
  await pause.click();
  assert.equal(await pause.getAttribute('aria-pressed'), 'true');
  await page.locator('.tail-status[data-state="paused"]').waitFor();
  const rowsPaused = await page.locator('.tail-status').textContent();
  await pause.click();
  assert.equal(await pause.getAttribute('aria-pressed'), 'false');
  await page.locator('.tail-status[data-state="live"]').waitFor();
  assert.match(rowsPaused ?? '', /paused/);
});

test('the errors page shows the KeyError group, and its page the sample trace', async () => {
  await open('/errors');
  const row = page.locator('table.grid tbody tr', { hasText: "KeyError: 'term'" });
  await row.first().waitFor({ timeout: 15_000 });
  assert.match((await row.first().textContent()) ?? '', /default\/bikesearch/);
  assert.match((await row.first().locator('.badge').first().textContent()) ?? '', /^(new|ongoing|regressed)$/);
  await checkAccessible('errors');
  await shot('errors');
  await row.first().getByRole('link', { name: /KeyError/ }).click();
  await page.locator('.sample-view .exc-title', { hasText: "KeyError: 'term'" }).waitFor();
  assert.match((await page.locator('.sample-view pre.raw').textContent()) ?? '', /Traceback \(most recent call last\)/);
  await page.locator('#occurrences table').waitFor({ timeout: 10_000 });
  await checkAccessible('error group');
  await shot('error-group');
});

test('targets, dashboards and logs pages render', async () => {
  await open('/targets');
  await eventually(async () => ((await page.locator('.target-group .badge.ok', { hasText: 'UP' }).count()) >= SANDBOX_FUNCTIONS.length ? true : undefined), 20_000, 'five UP targets');
  assert.match((await page.locator('#discovery').textContent()) ?? '', /synced/);
  await checkAccessible('targets');
  await shot('targets');

  await open('/dashboards');
  const dashboards = page.locator('#dash .file-card');
  await eventually(async () => ((await dashboards.count()) >= 2 + SANDBOX_FUNCTIONS.length ? true : undefined), 20_000, 'overview, function and per-function dashboards');
  await page.locator('#rules .file-card').first().waitFor();
  // A dashboard is viewable and downloads as the JSON Grafana imports.
  const overview = dashboards.first();
  await overview.locator('summary').click();
  assert.match((await overview.locator('pre').textContent()) ?? '', /"panels"/);
  const [download] = await Promise.all([page.waitForEvent('download'), overview.getByRole('link', { name: 'Download' }).click()]);
  const saved = join(tmpdir(), `fnscope-ui-test-${download.suggestedFilename()}`);
  await download.saveAs(saved);
  const json = JSON.parse(readFileSync(saved, 'utf8')) as { title?: string; uid?: string };
  rmSync(saved, { force: true });
  assert.equal(download.suggestedFilename(), `${json.uid}.json`);
  assert.match(json.title ?? '', /fnscope/);
  await checkAccessible('dashboards');
  await shot('dashboards');

  await open('/logs');
  await eventually(async () => ((await page.locator('.tail-viewport .tr:not([hidden])').count()) > 10 ? true : undefined), 20_000, 'log rows');
  await checkAccessible('logs');
  await shot('logs');
  // Filters go to the collector: with an include pattern only matching lines come back.
  await page.getByLabel('Include').fill('hello');
  await eventually(async () => {
    const texts = await page.locator('.tail-viewport .tr.k-line:not([hidden]) .tx').allTextContents();
    return texts.length > 0 && texts.every((t) => t.includes('hello')) ? true : undefined;
  }, 20_000, 'only lines matching the include pattern');
  assert.equal(await page.getByLabel('Include').getAttribute('aria-invalid'), 'false');
  await page.getByLabel('Include').fill('(a+)+');
  await eventually(async () => ((await page.getByLabel('Include').getAttribute('aria-invalid')) === 'true' ? true : undefined), 5000, 'the bad pattern flagged');
  assert.match((await page.locator('.tail-status').textContent()) ?? '', /nested quantifiers/);
  await page.getByLabel('Include').fill('');
});

test('screenshots of the functions and function pages once the charts have a minute of data', async () => {
  // Charts are worth a look once the store holds some history: poll the API for it (bounded).
  await eventually(async () => {
    const r = await fetch(`${serve.url}/api/v1/functions/default/bikesearch?since=5m&step=5s`);
    const d = (await r.json()) as { data: { history: { points: Array<{ callsPerSecond: number }> } } };
    return d.data.history.points.filter((p) => p.callsPerSecond > 0).length >= 9 ? true : undefined;
  }, 70_000, 'a minute of bikesearch history');
  await open('/functions');
  await page.locator('tr[data-key="default/bikesearch"].attention').waitFor({ timeout: 15_000 });
  await eventually(async () => ((await page.locator('.spark canvas').count()) >= SANDBOX_FUNCTIONS.length ? true : undefined), 20_000, 'sparklines');
  await shot('functions');
  await open('/functions/default/bikesearch?range=5m');
  await page.locator('.tail-status[data-state="live"]').waitFor();
  // A failing call, then a good one: the trace and the answer both in view.
  await page.getByLabel('Payload').fill('{"station": "Union"}');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.locator('.tail-viewport .tr.k-head', { hasText: 'KeyError' }).first().waitFor({ timeout: 15_000 });
  await page.getByLabel('Payload').fill('{"term": "park"}');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.locator('.invoke-lines', { hasText: "bikesearch term='park'" }).waitFor({ timeout: 10_000 });
  await page.locator('#errors .group-list li', { hasText: 'KeyError' }).waitFor({ timeout: 10_000 });
  await shot('function');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('function-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(pageErrors, [], 'no script errors on any page');
});
