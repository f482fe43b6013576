import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_LIMITS } from '../../collector/src/api/params.ts';
import { HTTP_LIMITS } from '../../collector/src/api/input-limits.ts';
import { MAX_ERROR_GROUPS } from '../../collector/src/api/routes/errors.ts';
import { MAX_LOG_RECORDS } from '../../collector/src/api/routes/logs.ts';
import { DEFAULT_REVIEW_CACHE } from '../../collector/src/api/auth/kubernetes.ts';
import { DEFAULT_HUB_LIMITS, FILTER_LIMITS, TAIL_ENDPOINT_LIMITS } from '../../collector/src/live/index.ts';
import { DEFAULT_SCRAPE_LIMITS } from '../../collector/src/scrape/limits.ts';
import { GROUP_LIMITS } from '../../collector/src/errors/index.ts';
import { DEFAULT_REMOTE_WRITE_LIMITS, MAX_RETRY_AFTER_MS } from '../../collector/src/remote-write/index.ts';
import { INVOKE_LIMITS } from '../../collector/src/api/routes/invoke.ts';
import { PEER_LIMITS } from '../../collector/src/peers/index.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'limits.md'), 'utf8');

/** The value column of the table row of `name`, or undefined. */
function documented(name: string): string | undefined {
  const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
  return row?.split('|')[2]?.trim();
}

/** How docs/limits.md writes a value: sizes in KiB/MiB, durations in ms/s/min/h, counts grouped by thousands. */
function format(key: string, v: number): string {
  if (/bytes$/i.test(key)) {
    if (v % (1 << 20) === 0) return `${v / (1 << 20)} MiB`;
    if (v % 1024 === 0) return `${v / 1024} KiB`;
    return `${v} bytes`;
  }
  if (/Ms$|_MS$/.test(key)) {
    if (v % 3_600_000 === 0) return `${v / 3_600_000} h`;
    if (v % 60_000 === 0) return `${v / 60_000} min`;
    if (v % 1000 === 0) return `${v / 1000} s`;
    return `${v} ms`;
  }
  return v >= 1000 ? v.toLocaleString('en-US').replaceAll(',', ' ') : String(v);
}

const NAMED: Array<[string, Readonly<Record<string, number>>]> = [
  ['HTTP_LIMITS', HTTP_LIMITS],
  ['API_LIMITS', API_LIMITS],
  ['FILTER_LIMITS', FILTER_LIMITS],
  ['TAIL_ENDPOINT_LIMITS', TAIL_ENDPOINT_LIMITS],
  ['HubLimits', DEFAULT_HUB_LIMITS],
  ['ScrapeLimits', DEFAULT_SCRAPE_LIMITS],
  ['GROUP_LIMITS', GROUP_LIMITS],
  ['DEFAULT_REVIEW_CACHE', DEFAULT_REVIEW_CACHE],
  ['DEFAULT_REMOTE_WRITE_LIMITS', DEFAULT_REMOTE_WRITE_LIMITS],
  ['INVOKE_LIMITS', INVOKE_LIMITS],
  ['PEER_LIMITS', PEER_LIMITS],
  ['', { MAX_ERROR_GROUPS, MAX_LOG_RECORDS, MAX_RETRY_AFTER_MS }],
];

test('docs/limits.md lists every named limit with its real default', () => {
  let n = 0;
  for (const [obj, limits] of NAMED) {
    for (const [key, value] of Object.entries(limits)) {
      const name = obj ? `${obj}.${key}` : key;
      const cell = documented(name);
      assert.ok(cell !== undefined, `${name} is missing from docs/limits.md`);
      assert.ok(cell.startsWith(format(key, value)), `${name}: docs say "${cell}", the code says ${format(key, value)}`);
      n++;
    }
  }
  assert.ok(n >= 40);
});
