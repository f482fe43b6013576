/** Test helper: every log of a corpus folder through the parse engine in-process, against its golden file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { TraceExtractor } from '../../../collector/src/stacktrace/trace-extractor.ts';
import type { ExceptionRecord } from '../../../collector/src/stacktrace/trace-extractor.ts';
import { createParsers } from '../../../collector/src/stacktrace/languages/index.ts';

export function extract(text: string): ExceptionRecord[] {
  const out: ExceptionRecord[] = [];
  const x = new TraceExtractor({ parsers: createParsers(), clock: new ManualClock(), onRecord: (r) => out.push(r) });
  x.write(text);
  x.end();
  return out;
}

/** One test per `<case>.log` in testdata/stacktraces/<folder>/: the records must equal `<case>.json`. */
export function goldenTests(folder: string): void {
  const dir = new URL(`../../../testdata/stacktraces/${folder}/`, import.meta.url);
  const logs = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  test(`${folder}: the corpus has logs`, () => assert.ok(logs.length > 0));
  for (const f of logs) {
    test(`${folder}/${f} parses to its golden records`, () => {
      const want = JSON.parse(readFileSync(new URL(f.replace(/\.log$/, '.json'), dir), 'utf8')) as ExceptionRecord[];
      assert.deepEqual(extract(readFileSync(new URL(f, dir), 'utf8')), want);
    });
  }
}
