/**
 * One cheap test per line, for all parsers together, of which parsers may start a trace on it: the
 * parsers' `startShapes` compiled, for each pair of first and last character a line may have (built on
 * first use), into the parsers to ask whatever the line holds, the texts to look for at fixed places
 * (`at`), and one regular expression for the other `contains` texts in play. A parser without shapes
 * is always asked. The answer may name a parser whose startKind then says 'no'; it never leaves out
 * one that would say anything else, as long as each parser's shapes are true to its startKind.
 * Anything with shapes can be filtered this way, not only parsers: the assembler adds the logger
 * header check (LOG_HEADER_SHAPES). Against the filter before (tables by character and a Map from the
 * shapes in play to one expression; at most 31 shapes with `contains`), the lines of
 * bench/log-pipeline.ts's input outside traces: 209-219 ns each in the assembler before, 192-204 now.
 */
import type { StartShape } from './types.ts';

/** Table slot for an empty line and for every character at or above U+0080. */
const OTHER = 128;
const SLOTS = OTHER + 1;

/** Most parsers one filter handles (one bit each). */
export const MAX_FILTERED_PARSERS = 31;

/** What the filter reads of each parser. */
export interface Filtered {
  readonly startShapes?: readonly StartShape[];
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** The slots (first or last character) `chars` allows; undefined: any character, or none. */
function slots(chars: string | undefined): Uint8Array {
  const t = new Uint8Array(SLOTS);
  if (chars === undefined) return t.fill(1);
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    t[c < OTHER ? c : OTHER] = 1;
  }
  return t;
}

interface ContainsShape {
  text: string;
  /** Where the text must sit, or -1 (anywhere). */
  at: number;
  parser: number;
  first: Uint8Array;
  last: Uint8Array;
}

/** The contains tests of one combination of shapes. */
interface ContainsTest {
  /** Texts at fixed places, and the parsers (bits) whose shapes hold each. */
  atTexts: string[];
  atPlaces: number[];
  atParsers: number[];
  /** The other texts, anywhere: one expression over them all, or null. */
  re: RegExp | null;
  /** The parsers (bits) whose shapes hold one of the texts re looks for. */
  parsers: number;
  /**
   * Where those texts belong to more than one parser: for each parser, a test of its texts alone,
   * asked only once re found one of them. On the lines of bench/log-pipeline.ts outside traces, a line
   * holding ' - ' (ruby's Sinatra shape; every access line) named go, nodejs and php too.
   */
  groupParsers: number[];
  groupTests: Array<RegExp | string>;
}

/** What the filter knows from a line's first and last characters. */
interface Pair {
  /** Parsers to ask whatever the line holds: no shapes, or a shape without `contains` that allows the pair. */
  base: number;
  test: ContainsTest | null;
}

export class StartFilter {
  /** Parsers without shapes: always asked. */
  readonly #always: number;
  /** Parsers (bits) with a shape without `contains` allowing the line's first / last character. */
  readonly #first = new Int32Array(SLOTS);
  readonly #last = new Int32Array(SLOTS);
  readonly #contains: ContainsShape[] = [];
  /** By the shapes in play (their indexes joined): pairs with the same shapes share one test. */
  readonly #tests = new Map<string, ContainsTest | null>();
  /**
   * By first and last character slot (first * 129 + last), built on first use: one array load per
   * line instead of four table loads and a Map lookup by the shapes in play.
   */
  readonly #pairs: Array<Pair | undefined> = new Array<Pair | undefined>(SLOTS * SLOTS).fill(undefined);

  constructor(parsers: readonly Filtered[]) {
    if (parsers.length > MAX_FILTERED_PARSERS) throw new RangeError(`at most ${MAX_FILTERED_PARSERS} trace parsers`);
    let always = 0;
    parsers.forEach((p, i) => {
      const bit = 1 << i;
      const shapes = p.startShapes;
      if (shapes === undefined) {
        always |= bit;
        return;
      }
      for (const shape of shapes) {
        if (shape.contains === undefined || shape.contains === '') {
          const first = slots(shape.first);
          const last = slots(shape.last);
          for (let c = 0; c < SLOTS; c++) {
            if (first[c] === 1) this.#first[c]! |= bit;
            if (last[c] === 1) this.#last[c]! |= bit;
          }
        } else {
          this.#contains.push({ text: shape.contains, at: shape.at ?? -1, parser: bit, first: slots(shape.first), last: slots(shape.last) });
        }
      }
    });
    this.#always = always;
  }

  /**
   * Bit i set: parser i may start a trace on this line (ask it). Where the `contains` texts in play
   * belong to several parsers and the line holds one of them, only the parsers whose texts it holds are
   * named.
   */
  parsers(line: string): number {
    const a = line.charCodeAt(0);
    const z = line.charCodeAt(line.length - 1);
    const ia = a < OTHER ? a : OTHER; // NaN (an empty line) lands in OTHER too
    const iz = z < OTHER ? z : OTHER;
    const pair = this.#pairs[ia * SLOTS + iz] ?? this.#pair(ia, iz);
    let m = pair.base;
    const t = pair.test;
    if (t === null) return m;
    const at = t.atTexts;
    for (let i = 0; i < at.length; i++) {
      const p = t.atParsers[i]!;
      if ((p & ~m) !== 0 && line.startsWith(at[i]!, t.atPlaces[i])) m |= p;
    }
    if (t.re === null || (t.parsers & ~m) === 0 || !t.re.test(line)) return m;
    const groups = t.groupTests;
    if (groups.length === 0) return m | t.parsers;
    for (let i = 0; i < groups.length; i++) {
      const p = t.groupParsers[i]!;
      if ((p & ~m) === 0) continue;
      const g = groups[i]!;
      if (typeof g === 'string' ? line.includes(g) : g.test(line)) m |= p;
    }
    return m;
  }

  #pair(ia: number, iz: number): Pair {
    const inPlay: number[] = [];
    this.#contains.forEach((s, i) => {
      if (s.first[ia] === 1 && s.last[iz] === 1) inPlay.push(i);
    });
    const key = inPlay.join(',');
    let test = this.#tests.get(key);
    if (test === undefined) {
      test = inPlay.length === 0 ? null : this.#build(inPlay.map((i) => this.#contains[i]!));
      this.#tests.set(key, test);
    }
    const pair = { base: this.#always | (this.#first[ia]! & this.#last[iz]!), test };
    this.#pairs[ia * SLOTS + iz] = pair;
    return pair;
  }

  #build(shapes: readonly ContainsShape[]): ContainsTest {
    const atTexts: string[] = [];
    const atPlaces: number[] = [];
    const atParsers: number[] = [];
    /** Texts anywhere, by parser. */
    const byParser = new Map<number, Set<string>>();
    let parsers = 0;
    for (const s of shapes) {
      if (s.at >= 0) {
        const k = atTexts.findIndex((x, i) => x === s.text && atPlaces[i] === s.at);
        if (k >= 0) atParsers[k]! |= s.parser;
        else {
          atTexts.push(s.text);
          atPlaces.push(s.at);
          atParsers.push(s.parser);
        }
        continue;
      }
      let texts = byParser.get(s.parser);
      if (texts === undefined) byParser.set(s.parser, (texts = new Set()));
      texts.add(s.text);
      parsers |= s.parser;
    }
    const all = new Set([...byParser.values()].flatMap((x) => [...x]));
    const groupParsers: number[] = [];
    const groupTests: Array<RegExp | string> = [];
    if (byParser.size > 1) {
      for (const [p, texts] of byParser) {
        groupParsers.push(p);
        groupTests.push(texts.size === 1 ? [...texts][0]! : new RegExp([...texts].map(escape).join('|')));
      }
    }
    return {
      atTexts, atPlaces, atParsers,
      re: all.size === 0 ? null : new RegExp([...all].map(escape).join('|')),
      parsers, groupParsers, groupTests,
    };
  }
}

/** Every ASCII character but `chars`, and all others: for a shape that rules out a few first characters. */
export function anyCharExcept(chars: string): string {
  let out = '\u0080';
  for (let c = 0; c < OTHER; c++) if (!chars.includes(String.fromCharCode(c))) out += String.fromCharCode(c);
  return out;
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
