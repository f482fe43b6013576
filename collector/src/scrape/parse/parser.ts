import { unescapeValue } from './escape.ts';
import { baseRole, findFamily, parseTypeWord, suffixRole } from './families.ts';
import { parseCommentLine } from './metadata.ts';
import { INVALID, scanFloat, scanInteger } from './number.ts';
import { closesJoinedValue, standsAlone } from './salvage.ts';
import type { ExpositionFormat, FamilyMetadata, MetricType, ParseError, ParseOptions, SampleRole } from './types.ts';

const TAB = 9;
const LF = 10;
const CR = 13;
const SP = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQ = 61;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

/** Character classes of ASCII codes: 1 letter or `_`, 2 digit, 4 `:`. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) CLASS[c] = 1;
  else if (c >= 48 && c <= 57) CLASS[c] = 2;
  else if (c === 58) CLASS[c] = 4;
}

/** [a-zA-Z_:] for metric names (`colon` false: label names, [a-zA-Z_]). */
function isNameStart(c: number, colon: boolean): boolean {
  return c < 128 && (CLASS[c]! & (colon ? 5 : 1)) !== 0;
}
function isNameChar(c: number, colon: boolean): boolean {
  return c < 128 && (CLASS[c]! & (colon ? 7 : 3)) !== 0;
}

/** text[at, at + p.length) === p, without the cost of startsWith(p, position). */
function hasPrefix(text: string, at: number, p: string): boolean {
  for (let k = 0; k < p.length; k++) if (text.charCodeAt(at + k) !== p.charCodeAt(k)) return false;
  return true;
}

/** Where a scan failed: the reason is recorded and the line skipped. */
const FAIL = -1;

/**
 * Pull parser for Prometheus text 0.0.4 and OpenMetrics 1.0 text. One instance can be reused for
 * many bodies (`reset`). `next()` moves to the next sample and returns false at the end; the current
 * sample is read from the fields and getters below, so the hot loop allocates nothing per sample
 * unless the caller asks for a name, series text or labels.
 *
 * ```ts
 * const p = new ExpositionParser({ format: formatFromContentType(res.headers.get('content-type')) });
 * p.reset(body);
 * while (p.next()) {
 *   let ref = cache.get(p.series);                 // raw `name{labels}` text: a cheap cache key
 *   if (ref === undefined) ref = resolve(p.name, p.labels());
 *   append(ref, p.timestampMs ?? scrapeTime, p.value);
 * }
 * badLines += p.errors.length;
 * ```
 *
 * A malformed line costs that line only: it is recorded in `errors` with its line number and the
 * parser goes on with the next line.
 */
export class ExpositionParser {
  readonly format: ExpositionFormat;
  /** Lines that could not be used, in order. */
  errors: ParseError[] = [];
  /** HELP/TYPE/UNIT seen so far, by family name. */
  metadata = new Map<string, FamilyMetadata>();

  // Current sample.
  /** Sample value (NaN, ±Inf allowed). */
  value = 0;
  /** Timestamp in milliseconds since the epoch, or undefined when the line has none. */
  timestampMs: number | undefined = undefined;
  /** 1-based line number where the sample starts. */
  line = 0;
  /** True when the current sample's series is the one `next(expected)` was told to expect. */
  matched = false;

  readonly #om: boolean;
  readonly #maxJoin: number;
  #text = '';
  #len = 0;
  #pos = 0;
  #lineNo = 0;
  #done = false;
  #sawEof = false;
  // Current sample positions.
  #start = 0;
  #nameEnd = 0;
  #seriesEnd = 0;
  #end = 0;
  #joined = 0;
  #resolved = false;
  /** Name end and labels of the current sample not scanned yet (it matched the expected series). */
  #lazy = false;
  #labelCount = 0;
  #family = '';
  #type: MetricType = 'unknown';
  #role: SampleRole = 'value';
  /** Position of the next backslash in the body (or its length): lets most values skip a char scan. */
  #nextBs = -1;
  /** Per label: name start, name end, value start, value end (value end is the closing quote). */
  #lp = new Int32Array(64);
  /** Per label: 1 when the value needs unescaping or contains raw newlines. */
  #lesc = new Uint8Array(16);
  // Family state.
  #curFamily = '';
  #curType: MetricType = 'unknown';
  #curBaseRole: SampleRole = 'value';
  #types = new Map<string, MetricType>();

  constructor(opts: ParseOptions = {}) {
    this.format = opts.format ?? 'prometheus';
    this.#om = this.format === 'openmetrics';
    this.#maxJoin = opts.maxJoinedLines ?? 64;
  }

  /** Start parsing a new body; clears errors, metadata and family state. */
  reset(text: string): this {
    this.#text = text;
    this.#len = text.length;
    this.#pos = 0;
    this.#lineNo = 0;
    this.#done = false;
    this.#sawEof = false;
    this.#nextBs = -1;
    this.errors = [];
    this.metadata = new Map();
    this.#types = new Map();
    this.#curFamily = '';
    this.#curType = 'unknown';
    this.#curBaseRole = 'value';
    this.#labelCount = 0;
    this.#lazy = false;
    this.matched = false;
    return this;
  }

  /**
   * Forget the body and everything read from it (errors, metadata), so that nothing of it stays alive
   * while the parser waits for the next `reset`. Unlike `reset('')` it allocates nothing: a scrape
   * loop releases its parser after every scrape.
   */
  release(): void {
    this.#text = '';
    this.#len = 0;
    this.#pos = 0;
    this.#done = true;
    if (this.errors.length > 0) this.errors = [];
    this.metadata.clear();
    this.#types.clear();
    this.#curFamily = '';
  }

  /**
   * Advance to the next sample. Returns false when the body is exhausted (or after `# EOF`).
   *
   * `expected` is the series text (`series`) the caller expects next, e.g. the one the previous body
   * had at this position. When the line starts with exactly that text, only the value and timestamp
   * are scanned (`matched` is true; the name and labels are scanned if asked for): a target writes the
   * same series in the same order every time, and their labels need not be read again.
   */
  next(expected?: string): boolean {
    const text = this.#text;
    const len = this.#len;
    while (this.#pos < len && !this.#done) {
      const start = this.#pos;
      let end = text.indexOf('\n', start);
      if (end === -1) end = len;
      this.#pos = end + 1;
      const lineNo = ++this.#lineNo;
      if (this.#sawEof) {
        if (end > start) this.#error(lineNo, 'content after # EOF');
        this.#done = true;
        break;
      }
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      let i = start;
      let c = text.charCodeAt(i);
      while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
      if (i >= end) continue; // blank line
      if (c === HASH) {
        this.#comment(i, end, lineNo);
        continue;
      }
      if (expected !== undefined) {
        const se = i + expected.length;
        const after = text.charCodeAt(se);
        if (se < end && (after === SP || after === TAB) && text.slice(i, se) === expected) {
          this.#joined = 0;
          if (this.#rest(i, -1, se, end, lineNo, false)) return true;
          continue;
        }
      }
      if (this.#sample(i, end, lineNo)) return true;
    }
    if (!this.#done) {
      this.#done = true;
      if (this.#om && !this.#sawEof) this.#error(this.#lineNo, 'missing # EOF');
    }
    return false;
  }

  /** Family of the current sample: the TYPE line's name, or the sample's own name when untyped. */
  get family(): string {
    if (!this.#resolved) this.#resolveFamily();
    return this.#family;
  }

  /** Type of the current sample's family (`unknown` when untyped). */
  get type(): MetricType {
    if (!this.#resolved) this.#resolveFamily();
    return this.#type;
  }

  /** What the current sample is within its family (bucket, sum, count, created, …). */
  get role(): SampleRole {
    if (!this.#resolved) this.#resolveFamily();
    return this.#role;
  }

  /** Number of labels on the current sample. */
  get labelCount(): number {
    if (this.#lazy) this.#scanLazy();
    return this.#labelCount;
  }

  /** Metric name of the current sample (allocates a string). */
  get name(): string {
    if (this.#lazy) this.#scanLazy();
    return this.#text.slice(this.#start, this.#nameEnd);
  }

  /**
   * The current sample's series exactly as written, `name{labels}` without value and timestamp: a
   * cheap key for a per-target cache (equal across scrapes while the target writes the same series).
   * It is a slice of the body: copy it (`detachString`) before keeping it beyond the body's lifetime.
   */
  get series(): string {
    return this.#text.slice(this.#start, this.#seriesEnd);
  }

  /**
   * Whether the current sample's series text equals `s`: the check a cache keyed by `series` makes
   * when it expects the series the previous body had at this position. Comparing two flat strings
   * costs about a third of a Map lookup, which must hash the slice first.
   */
  seriesIs(s: string): boolean {
    return this.#seriesEnd - this.#start === s.length && this.#text.slice(this.#start, this.#seriesEnd) === s;
  }

  /** Name of label i (0-based) of the current sample. */
  labelName(i: number): string {
    if (this.#lazy) this.#scanLazy();
    return this.#text.slice(this.#lp[i * 4], this.#lp[i * 4 + 1]);
  }

  /** Unescaped value of label i of the current sample. */
  labelValue(i: number): string {
    if (this.#lazy) this.#scanLazy();
    const s = this.#lp[i * 4 + 2]!;
    const e = this.#lp[i * 4 + 3]!;
    return this.#lesc[i] === 1 ? unescapeValue(this.#text, s, e) : this.#text.slice(s, e);
  }

  /** Label pairs of the current sample in the order written (no `__name__`). */
  labels(): Array<[string, string]> {
    const out = new Array<[string, string]>(this.labelCount);
    for (let i = 0; i < this.labelCount; i++) out[i] = [this.labelName(i), this.labelValue(i)];
    return out;
  }

  /** Push the current sample's labels as `name, value, name, value, …` onto `out` and return it. */
  labelsFlat(out: string[] = []): string[] {
    for (let i = 0; i < this.labelCount; i++) out.push(this.labelName(i), this.labelValue(i));
    return out;
  }

  #error(line: number, reason: string, recovered = false): void {
    this.errors.push({ line, reason, recovered });
  }

  #fail(line: number, reason: string): boolean {
    this.#error(line, reason);
    return false;
  }

  #comment(start: number, end: number, lineNo: number): void {
    const c = parseCommentLine(this.#text, start, end, this.#om);
    switch (c.kind) {
      case 'comment':
        return;
      case 'eof':
        this.#sawEof = true;
        return;
      case 'error':
        this.#error(lineNo, c.reason);
        return;
      case 'type': {
        const type = parseTypeWord(c.text, this.#om);
        if (type === undefined) this.#error(lineNo, `invalid metric type "${c.text}"`);
        const t = type ?? 'unknown';
        this.#types.set(c.name, t);
        this.#curFamily = c.name;
        this.#curType = t;
        this.#curBaseRole = baseRole(t, c.name);
        this.#meta(c.name).type = t;
        return;
      }
      case 'help':
        this.#meta(c.name).help = c.text;
        return;
      case 'unit':
        this.#meta(c.name).unit = c.text;
        return;
    }
  }

  #meta(name: string): FamilyMetadata {
    let m = this.metadata.get(name);
    if (m === undefined) {
      m = { type: this.#types.get(name) ?? 'unknown', help: '', unit: '' };
      this.metadata.set(name, m);
    }
    return m;
  }

  #sample(start: number, end: number, lineNo: number): boolean {
    const text = this.#text;
    let i = start;
    if (!isNameStart(text.charCodeAt(i), true)) return this.#fail(lineNo, 'invalid metric name');
    i++;
    while (i < end && isNameChar(text.charCodeAt(i), true)) i++;
    const nameEnd = i;
    this.#labelCount = 0;
    this.#end = end;
    this.#joined = 0;
    if (i < end && text.charCodeAt(i) === LBRACE) {
      i = this.#scanLabels(i + 1, lineNo);
      if (i === FAIL) return false;
      end = this.#end;
    }
    return this.#rest(start, nameEnd, i, end, lineNo, this.#labelCount > 1);
  }

  /** The name and labels of a sample that took the `expected` path, scanned now that they are asked for. */
  #scanLazy(): void {
    this.#lazy = false;
    const text = this.#text;
    let i = this.#start + 1;
    while (i < this.#seriesEnd && isNameChar(text.charCodeAt(i), true)) i++;
    this.#nameEnd = i;
    this.#labelCount = 0;
    this.#joined = 0;
    this.#end = this.#seriesEnd;
    // The same text parsed without error before, so this cannot fail.
    if (i < this.#seriesEnd) this.#scanLabels(i + 1, this.line);
  }

  /** Value, timestamp and exemplar of a sample whose series is text[start, seriesEnd); nameEnd -1: not scanned. */
  #rest(start: number, nameEnd: number, seriesEnd: number, end: number, lineNo: number, checkNames: boolean): boolean {
    const text = this.#text;
    let i = seriesEnd;
    let c = text.charCodeAt(i);
    if (i >= end || (c !== SP && c !== TAB)) {
      return this.#fail(lineNo, i >= end ? 'missing value' : `unexpected character "${text[i]}" after metric name`);
    }
    while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
    const vs = i;
    while (i < end && c !== SP && c !== TAB) c = text.charCodeAt(++i);
    const value = scanFloat(text, vs, i);
    if (value === INVALID) return this.#fail(lineNo, `invalid value "${text.slice(vs, i)}"`);
    while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
    let ts: number | undefined;
    if (i < end && c !== HASH) {
      const ts0 = i;
      while (i < end && c !== SP && c !== TAB) c = text.charCodeAt(++i);
      const t = this.#om ? scanFloat(text, ts0, i) : scanInteger(text, ts0, i);
      if (t === INVALID || !Number.isFinite(t)) return this.#fail(lineNo, `invalid timestamp "${text.slice(ts0, i)}"`);
      ts = this.#om ? Math.round(t * 1000) : t;
      while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
    }
    // An exemplar (` # {…} v [ts]`) is ignored; anything else after the timestamp is an error.
    if (i < end && c !== HASH) return this.#fail(lineNo, 'unexpected text after timestamp');
    if (checkNames && !this.#checkLabelNames(lineNo)) return false;
    this.#resolved = false;
    this.#lazy = nameEnd === -1;
    this.matched = this.#lazy;
    this.#start = start;
    this.#nameEnd = nameEnd;
    this.#seriesEnd = seriesEnd;
    this.value = value;
    this.timestampMs = ts;
    this.line = lineNo;
    if (this.#joined > 0) {
      this.#pos = this.#end + 1;
      this.#lineNo += this.#joined;
      // Line-ending of the joined record: skip a CR the caller trimmed.
      if (this.#pos < this.#len && text.charCodeAt(this.#pos - 1) === CR) this.#pos++;
      this.#error(lineNo, `label value contains raw newlines (${this.#joined + 1} lines joined)`, true);
    }
    return true;
  }

  /** Scan `name="value",…}` from i (just after `{`). Returns the index after `}`, or FAIL. */
  #scanLabels(i: number, lineNo: number): number {
    const text = this.#text;
    let end = this.#end;
    let n = 0;
    for (;;) {
      let c = text.charCodeAt(i);
      while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
      if (i >= end) return this.#failAt(lineNo, 'unterminated label set');
      if (c === RBRACE) break;
      if (!isNameStart(c, false)) return this.#failAt(lineNo, 'invalid label name');
      const ns = i;
      c = text.charCodeAt(++i);
      while (i < end && isNameChar(c, false)) c = text.charCodeAt(++i);
      const ne = i;
      if (ne - ns === 8 && text.startsWith('__name__', ns)) return this.#failAt(lineNo, 'label "__name__" in label set');
      while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
      if (c !== EQ || i >= end) return this.#failAt(lineNo, `expected "=" after label name`);
      c = text.charCodeAt(++i);
      while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
      if (c !== QUOTE || i >= end) return this.#failAt(lineNo, 'expected quoted label value');
      const vs = ++i;
      let esc = 0;
      // Fast path: the closing quote on this line with no backslash before it.
      if (this.#nextBs < i) {
        const b = text.indexOf('\\', i);
        this.#nextBs = b === -1 ? this.#len : b;
      }
      const q = text.indexOf('"', i);
      if (q !== -1 && q < end && q < this.#nextBs) i = q;
      else for (;;) {
        if (i >= end) {
          // The value runs past the end of the line: a raw newline inside it, perhaps.
          const next = this.#joinNextLine(end);
          if (next === FAIL) return this.#failAt(lineNo, 'unterminated label value');
          end = next;
          esc = 1;
          i++;
          continue;
        }
        c = text.charCodeAt(i);
        if (c === QUOTE) {
          if (this.#joined === 0 || closesJoinedValue(text, i, end)) break;
          i++;
          continue;
        }
        if (c === BACKSLASH) {
          esc = 1;
          i += i + 1 < end ? 2 : 1;
          continue;
        }
        i++;
      }
      if (n === this.#lesc.length) this.#grow();
      const k = n * 4;
      this.#lp[k] = ns;
      this.#lp[k + 1] = ne;
      this.#lp[k + 2] = vs;
      this.#lp[k + 3] = i;
      this.#lesc[n] = esc;
      n++;
      this.#labelCount = n;
      c = text.charCodeAt(++i);
      while (i < end && (c === SP || c === TAB)) c = text.charCodeAt(++i);
      if (c === COMMA && i < end) {
        i++;
        continue;
      }
      if (c === RBRACE && i < end) break;
      return this.#failAt(lineNo, 'expected "," or "}" after label value');
    }
    this.#end = end;
    return i + 1;
  }

  /**
   * Try to continue a label value on the next physical line (see salvage.ts). Returns the end of that
   * line, or FAIL when joining is not allowed there.
   */
  #joinNextLine(end: number): number {
    const text = this.#text;
    if (end >= this.#len || this.#joined >= this.#maxJoin) return FAIL;
    // `end` may sit on a CR that was trimmed: the LF is right after it.
    const lf = text.charCodeAt(end) === LF ? end : text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 1 : -1;
    if (lf === -1) return FAIL;
    const start = lf + 1;
    let next = text.indexOf('\n', start);
    if (next === -1) next = this.#len;
    let lineEnd = next;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    if (standsAlone(text, start, lineEnd)) return FAIL;
    this.#joined++;
    this.#end = lineEnd;
    return lineEnd;
  }

  #failAt(lineNo: number, reason: string): number {
    this.#error(lineNo, reason);
    return FAIL;
  }

  #grow(): void {
    const lp = new Int32Array(this.#lp.length * 2);
    lp.set(this.#lp);
    this.#lp = lp;
    const le = new Uint8Array(this.#lesc.length * 2);
    le.set(this.#lesc);
    this.#lesc = le;
  }

  /** Reject duplicate label names and a `__name__` label. */
  #checkLabelNames(lineNo: number): boolean {
    const text = this.#text;
    const lp = this.#lp;
    for (let a = 0; a < this.labelCount; a++) {
      const as = lp[a * 4]!;
      const al = lp[a * 4 + 1]! - as;
      for (let b = a + 1; b < this.labelCount; b++) {
        const bs = lp[b * 4]!;
        if (lp[b * 4 + 1]! - bs !== al) continue;
        let same = true;
        for (let k = 0; k < al; k++) {
          if (text.charCodeAt(as + k) !== text.charCodeAt(bs + k)) {
            same = false;
            break;
          }
        }
        if (same) return this.#fail(lineNo, `duplicate label name "${text.slice(as, as + al)}"`);
      }
    }
    return true;
  }

  /**
   * Family, type and role of the current sample, worked out when first asked for (the scrape loop
   * rarely needs them), against the TYPE lines seen up to this sample.
   */
  #resolveFamily(): void {
    if (this.#lazy) this.#scanLazy();
    this.#resolved = true;
    const text = this.#text;
    const start = this.#start;
    const nameEnd = this.#nameEnd;
    const fam = this.#curFamily;
    const fl = fam.length;
    if (fl > 0 && nameEnd - start >= fl && hasPrefix(text, start, fam)) {
      const rest = nameEnd - start - fl;
      const role = rest === 0 ? this.#curBaseRole : suffixRole(this.#curType, text, start + fl, rest);
      if (role !== undefined) {
        this.#family = fam;
        this.#type = this.#curType;
        this.#role = role;
        return;
      }
    }
    const m = findFamily(text.slice(start, nameEnd), this.#types);
    this.#family = m.family;
    this.#type = m.type;
    this.#role = m.role;
    // Later samples of the same name take the fast path.
    this.#curFamily = m.family;
    this.#curType = m.type;
    this.#curBaseRole = baseRole(m.type, m.family);
  }
}
