/**
 * One cheap test per line, for all parsers together, of which parsers may start a trace on it: the
 * parsers' `startShapes` compiled into tables by first and last character, and one regular expression
 * per combination of `contains` texts in play (built on first use). A parser without shapes is always
 * asked. The answer may name a parser whose startKind then says 'no'; it never leaves out one that
 * would say anything else, as long as each parser's shapes are true to its startKind.
 */
import type { StartShape, TraceParser } from './types.ts';

/** Table slot for an empty line and for every character at or above U+0080. */
const OTHER = 128;

/** Most parsers one filter handles (one bit each). */
export const MAX_FILTERED_PARSERS = 31;

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Sets `bit` in every slot of t that one of `chars` (undefined: any character, or none) lands in. */
function mark(t: Int32Array, chars: string | undefined, bit: number): void {
  if (chars === undefined) {
    for (let i = 0; i <= OTHER; i++) t[i]! |= bit;
    return;
  }
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    t[c < OTHER ? c : OTHER]! |= bit;
  }
}

interface ContainsTest {
  re: RegExp;
  /** The parsers (bits) whose shapes hold one of the texts re looks for. */
  parsers: number;
}

export class StartFilter {
  /** Parsers without shapes: always asked. */
  readonly #always: number;
  /** Parsers (bits) with a shape without `contains` allowing the line's first / last character. */
  readonly #first = new Int32Array(OTHER + 1);
  readonly #last = new Int32Array(OTHER + 1);
  /** Shapes (bits) with `contains` allowing the line's first / last character. */
  readonly #cFirst = new Int32Array(OTHER + 1);
  readonly #cLast = new Int32Array(OTHER + 1);
  readonly #cShapes: Array<{ text: string; parser: number }> = [];
  readonly #tests = new Map<number, ContainsTest>();

  constructor(parsers: readonly TraceParser[]) {
    if (parsers.length > MAX_FILTERED_PARSERS) throw new RangeError(`at most ${MAX_FILTERED_PARSERS} trace parsers`);
    let always = 0;
    const withContains: Array<{ shape: StartShape; parser: number }> = [];
    parsers.forEach((p, i) => {
      const bit = 1 << i;
      const shapes = p.startShapes;
      if (shapes === undefined) {
        always |= bit;
        return;
      }
      for (const shape of shapes) {
        if (shape.contains === undefined || shape.contains === '') {
          mark(this.#first, shape.first, bit);
          mark(this.#last, shape.last, bit);
        } else {
          withContains.push({ shape, parser: bit });
        }
      }
    });
    if (withContains.length > MAX_FILTERED_PARSERS) throw new RangeError(`at most ${MAX_FILTERED_PARSERS} start shapes with contains`);
    withContains.forEach(({ shape, parser }, i) => {
      mark(this.#cFirst, shape.first, 1 << i);
      mark(this.#cLast, shape.last, 1 << i);
      this.#cShapes.push({ text: shape.contains!, parser });
    });
    this.#always = always;
  }

  /** Bit i set: parser i may start a trace on this line (ask it). */
  parsers(line: string): number {
    const a = line.charCodeAt(0);
    const z = line.charCodeAt(line.length - 1);
    const ia = a < OTHER ? a : OTHER; // NaN (an empty line) lands in OTHER too
    const iz = z < OTHER ? z : OTHER;
    let m = this.#always | (this.#first[ia]! & this.#last[iz]!);
    const shapes = this.#cFirst[ia]! & this.#cLast[iz]!;
    if (shapes !== 0) {
      const t = this.#tests.get(shapes) ?? this.#build(shapes);
      if ((t.parsers & ~m) !== 0 && t.re.test(line)) m |= t.parsers;
    }
    return m;
  }

  #build(shapes: number): ContainsTest {
    const texts = new Set<string>();
    let parsers = 0;
    this.#cShapes.forEach((s, i) => {
      if ((shapes & (1 << i)) === 0) return;
      texts.add(escape(s.text));
      parsers |= s.parser;
    });
    const t = { re: new RegExp([...texts].join('|')), parsers };
    this.#tests.set(shapes, t);
    return t;
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
