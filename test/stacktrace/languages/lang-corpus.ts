/** Test helper for the ruby, php and dotnet parser tests: a minimal local assembly and the corpus reader. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { ParsedTrace, TraceParser } from '../../../collector/src/stacktrace/types.ts';

export interface Assembled {
  /** 1-based physical lines of the input the trace spans. */
  lines: [number, number];
  trace: ParsedTrace;
}

/**
 * Feeds lines the way the pipeline does, without timers: an open block takes a line its parser says
 * continues it; otherwise the block ends and the line may open the next one. A candidate block counts
 * only once a second line confirmed it. Trailing blank lines are not part of a trace.
 */
export function assemble(parser: TraceParser, input: readonly string[]): Assembled[] {
  const out: Assembled[] = [];
  let block: string[] | null = null;
  let first = 0;
  let confirmed = false;
  const flush = (): void => {
    // Like the pipeline, trailing blank lines are given back rather than kept in the trace.
    while (block && block.length > 1 && block[block.length - 1]!.trim() === '') block.pop();
    if (block && confirmed) {
      const trace = parser.parse(block);
      if (trace) out.push({ lines: [first + 1, first + block.length], trace });
    }
    block = null;
  };
  input.forEach((line, i) => {
    if (block) {
      if (parser.continues(block, line)) {
        block.push(line);
        confirmed = true;
        return;
      }
      flush();
    }
    const kind = parser.startKind(line);
    if (kind !== 'no') {
      block = [line];
      first = i;
      confirmed = kind === 'start';
    }
  });
  flush();
  return out;
}

/** Splits a log file into physical lines the way a line reader does (no final empty line). */
export function logLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export interface CorpusCase {
  name: string;
  lines: string[];
  golden: ParsedTrace[];
  spans: [number, number][];
}

/** Every `<case>.log` of a folder with its `<case>.json` (the traces) and `<case>.lines.json` (their spans). */
export function readCorpus(dir: URL): CorpusCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      const read = (suffix: string): string => readFileSync(new URL(name + suffix, dir), 'utf8');
      return {
        name,
        lines: logLines(read('.log')),
        golden: JSON.parse(read('.json')) as ParsedTrace[],
        spans: JSON.parse(read('.lines.json')) as [number, number][],
      };
    });
}

/**
 * The table-driven corpus tests every language file runs: each testdata/stacktraces/<language>/ case
 * assembles to exactly its golden spans and traces, and a negative case to nothing.
 */
export function corpusTests(language: string, parser: TraceParser, minCases: number): void {
  const corpus = readCorpus(new URL(`../../../testdata/stacktraces/${language}/`, import.meta.url));
  test(`the ${language} corpus is there`, () => {
    assert.ok(corpus.length >= minCases, `only ${corpus.length} cases`);
  });
  for (const c of corpus) {
    test(`${language} corpus: ${c.name}`, () => {
      const found = assemble(parser, c.lines);
      if (c.name.startsWith('negative-')) assert.deepEqual(found, [], 'a negative case yields no trace');
      assert.deepEqual(found.map((f) => f.lines), c.spans);
      assert.deepEqual(found.map((f) => f.trace), c.golden);
    });
  }
}

const STACKTRACES = new URL('../../../testdata/stacktraces/', import.meta.url);

/** The text of every capture under testdata/stacktraces/: every language, the held-out and negative logs. */
export function corpusTexts(): string[] {
  return readdirSync(STACKTRACES).flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, STACKTRACES))
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(new URL(`${dir}/${f}`, STACKTRACES), 'utf8')),
  );
}

/** Every line of corpusTexts(), for hand-written line readers checked against the expression they replace. */
export function corpusLines(): string[] {
  return corpusTexts().flatMap((t) => t.split('\n'));
}

/** rnd(n): a deterministic integer in [0, n) from a linear congruential generator started at `seed`. */
export function seeded(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

/** `count` texts, each one of `prefixes` then fewer than `maxPieces` of `pieces`, from a fixed seed. */
export function generatedLines(seed: number, count: number, prefixes: readonly string[], pieces: readonly string[], maxPieces: number): string[] {
  const rnd = seeded(seed);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let line = prefixes[rnd(prefixes.length)]!;
    const len = rnd(maxPieces);
    for (let i = 0; i < len; i++) line += pieces[rnd(pieces.length)];
    out.push(line);
  }
  return out;
}
