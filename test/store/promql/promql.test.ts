import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runPromqlTest } from './promqltest.ts';

const read = (f: string): string => readFileSync(new URL(`../../../testdata/promql/${f}`, import.meta.url), 'utf8');

for (const [file, minCases] of [['histograms.test', 40], ['rate.test', 9]] as const) {
  test(`Prometheus's own ${file} cases`, () => {
    const res = runPromqlTest(read(file));
    const failed = res.filter((r) => r.status === 'fail');
    assert.deepEqual(failed, []);
    const ran = res.filter((r) => r.status === 'pass').length;
    assert.ok(ran >= minCases, `only ${ran} cases ran; skipped: ${res.filter((r) => r.status === 'skip').map((r) => r.expr).join(' | ')}`);
  });
}
