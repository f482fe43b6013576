/**
 * RFC 3339 timestamps (`2026-11-22T01:30:18.123456789Z`, `…+02:00`) to milliseconds since the epoch,
 * without building a Date per line: digits are read in place and the start of the day is cached.
 *
 * Consecutive lines of one stream mostly share their date, hour, minute and second: the parser keeps
 * the text of the last seconds prefix it read ("2026-11-22T01:30:18") and its time, and when the next
 * timestamp starts with the same 19 characters (one lastIndexOf call compares them) it reads only the
 * fraction and the zone. Each charCodeAt of a line costs about 2 ns, so what pays is reading fewer
 * characters, not less arithmetic. The timestamps of bench/log-pipeline.ts's lines, parse(line, 0,
 * line.indexOf(' ')) before and leading(line) now: 87 → 52 ns per line (86 → 71 where the line is a
 * slice of a two-byte chunk).
 */

const SECONDS_PREFIX = 19; // "YYYY-MM-DDTHH:MM:SS"
/** Shortest and longest timestamp a log line starts with: seconds and a zone, up to nanoseconds and an offset. */
const MIN_LEADING = 20;
const MAX_LEADING = 40;

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

function two(text: string, i: number): number {
  return digit(text, i) * 10 + digit(text, i + 1);
}

export class TimestampParser {
  #dayKey = -1;
  #dayMs = 0;
  /**
   * The last seconds prefix read, as a string of its own (a slice of the line would keep the line's whole
   * chunk alive); until then a text no timestamp starts with (and #prefixMs is NaN).
   */
  #prefix = '\u0000';
  /** Its milliseconds since the epoch (zone not applied); NaN until a prefix was read. */
  #prefixMs = Number.NaN;
  /** Where the timestamp read by the last `leading()` call ends: its space, or the text's length. */
  end = 0;

  /** Milliseconds since the epoch of the timestamp filling text[start, end), or NaN when it is not one. */
  parse(text: string, start: number, end: number): number {
    if (end - start < SECONDS_PREFIX + 1) return Number.NaN;
    const base = this.#samePrefix(text, start) ? this.#prefixMs : this.#readPrefix(text, start);
    if (Number.isNaN(base)) return Number.NaN;
    return zoned(text, start, end, base);
  }

  /**
   * The timestamp a line starts with, up to its first space (or the line's end): milliseconds since the
   * epoch, or NaN when that is not a timestamp of 20 to 40 characters. Leaves where it ends in `end`.
   * The same as parse(text, 0, end) with end = text.indexOf(' ') (text.length when there is none).
   */
  leading(text: string): number {
    const len = text.length;
    let sp: number;
    let base: number;
    if (this.#samePrefix(text, 0)) {
      // the first 19 characters are the last prefix read, which holds no space: look from there
      base = this.#prefixMs;
      sp = text.indexOf(' ', SECONDS_PREFIX);
      if (sp < 0) sp = len;
      this.end = sp;
      if (sp < MIN_LEADING || sp > MAX_LEADING) return Number.NaN;
    } else {
      sp = text.indexOf(' ');
      if (sp < 0) sp = len;
      this.end = sp;
      if (sp < MIN_LEADING || sp > MAX_LEADING) return Number.NaN;
      base = this.#readPrefix(text, 0);
      if (Number.isNaN(base)) return Number.NaN;
    }
    return zoned(text, 0, sp, base);
  }

  /** Do text[start, start + 19) and the last prefix read hold the same characters? */
  #samePrefix(text: string, start: number): boolean {
    // one builtin call that compares at `start` only: a loop of charCodeAt calls costs about twice as much
    return text.lastIndexOf(this.#prefix, start) === start;
  }

  /** The time of the seconds prefix at start, zone not applied (NaN when it is not one); remembered when valid. */
  #readPrefix(text: string, start: number): number {
    if (
      text.charCodeAt(start + 4) !== 45 || // -
      text.charCodeAt(start + 7) !== 45 ||
      (text.charCodeAt(start + 10) | 0x20) !== 116 || // T or t
      text.charCodeAt(start + 13) !== 58 || // :
      text.charCodeAt(start + 16) !== 58
    ) {
      return Number.NaN;
    }
    const century = two(text, start);
    const yy = two(text, start + 2);
    if (century < 0 || yy < 0) return Number.NaN; // a non-digit in the year
    const year = century * 100 + yy;
    const month = two(text, start + 5);
    const day = two(text, start + 8);
    const hour = two(text, start + 11);
    const minute = two(text, start + 14);
    const second = two(text, start + 17);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return Number.NaN;
    // the day's start is cached: lines of one stream mostly share their day
    const dayKey = year * 10000 + month * 100 + day;
    if (dayKey !== this.#dayKey) {
      if (month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
      this.#dayMs = Date.UTC(year, month - 1, day);
      this.#dayKey = dayKey;
    }
    const base = this.#dayMs + ((hour * 60 + minute) * 60 + second) * 1000;
    const codes: number[] = [];
    for (let i = 0; i < SECONDS_PREFIX; i++) codes.push(text.charCodeAt(start + i));
    this.#prefix = String.fromCharCode(...codes);
    this.#prefixMs = base;
    return base;
  }
}

/** The fraction and the zone after the seconds prefix at start, applied to its time `base`. */
function zoned(text: string, start: number, end: number, base: number): number {
  // the zone: Z, or +HH:MM / -HH:MM
  let zone = end - 1;
  let offset = 0;
  if ((text.charCodeAt(zone) | 0x20) !== 122) {
    zone = end - 6;
    const sign = text.charCodeAt(zone);
    if ((sign !== 43 && sign !== 45) || text.charCodeAt(zone + 3) !== 58) return Number.NaN;
    const h = two(text, zone + 1);
    const m = two(text, zone + 4);
    if (h < 0 || h > 23 || m < 0 || m > 59) return Number.NaN;
    offset = sign === 43 ? (h * 60 + m) * 60_000 : -(h * 60 + m) * 60_000;
  }
  // the fraction between the seconds and the zone: its first three digits are the milliseconds
  const i = start + SECONDS_PREFIX;
  if (i === zone) return base - offset;
  const digits = zone - i - 1;
  if (digits < 1 || text.charCodeAt(i) !== 46) return Number.NaN;
  let ms = digit(text, i + 1) * 100;
  if (digits > 1) ms += digit(text, i + 2) * 10;
  if (digits > 2) ms += digit(text, i + 3);
  if (ms < 0) return Number.NaN;
  return base + ms - offset;
}
