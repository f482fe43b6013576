import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXPOSITION_ACCEPT_HEADER, formatFromContentType } from '../../../collector/src/scrape/parse/index.ts';

test('content types choose the parser', () => {
  const table: Array<[string | null | undefined, string]> = [
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['Application/OpenMetrics-Text;version=0.0.1', 'openmetrics'],
    ['application/openmetrics-text', 'openmetrics'],
    ['text/plain; version=0.0.4; charset=utf-8', 'prometheus'],
    ['text/plain', 'prometheus'],
    ['application/json', 'prometheus'],
    ['', 'prometheus'],
    [null, 'prometheus'],
    [undefined, 'prometheus'],
  ];
  for (const [ct, want] of table) assert.equal(formatFromContentType(ct), want, String(ct));
});

test('the real runtimes announce Prometheus text 0.0.4', () => {
  for (const f of ['python-metrics-headers.txt', 'nodejs-metrics-headers.txt']) {
    const headers = readFileSync(new URL(`../../../testdata/exposition/runtimes/${f}`, import.meta.url), 'utf8');
    const ct = /^content-type:\s*(.*?)\r?$/im.exec(headers)?.[1];
    assert.ok(ct, f);
    assert.equal(formatFromContentType(ct), 'prometheus');
  }
});

test('the Accept header prefers OpenMetrics 1.0, then 0.0.4 text', () => {
  const parts = EXPOSITION_ACCEPT_HEADER.split(',');
  assert.match(parts[0]!, /^application\/openmetrics-text;version=1\.0\.0/);
  assert.ok(parts.some((p) => p.startsWith('text/plain;version=0.0.4')));
  const q = (p: string): number => Number(/q=([\d.]+)/.exec(p)?.[1] ?? '1');
  for (let i = 1; i < parts.length; i++) assert.ok(q(parts[i]!) < q(parts[i - 1]!));
});
