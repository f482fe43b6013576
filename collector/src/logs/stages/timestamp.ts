/**
 * RFC 3339 timestamps (`2026-11-22T01:30:18.123456789Z`, `…+02:00`) to milliseconds since the epoch,
 * without building a Date per line: digits are read in place and the start of the day is cached.
 */

const SECONDS_PREFIX = 19; // "YYYY-MM-DDTHH:MM:SS"

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

/** text.startsWith(prefix, start), without the builtin's per-call cost (several times slower here). */
export function startsWithAt(text: string, prefix: string, start: number): boolean {
  if (start + prefix.length > text.length) return false;
  for (let i = prefix.length - 1; i >= 0; i--) if (text.charCodeAt(start + i) !== prefix.charCodeAt(i)) return false;
  return true;
}

function two(text: string, i: number): number {
  return digit(text, i) * 10 + digit(text, i + 1);
}

export class TimestampParser {
  #dayKey = -1;
  #dayMs = 0;

  /** Milliseconds since the epoch of the timestamp filling text[start, end), or NaN when it is not one. */
  parse(text: string, start: number, end: number): number {
    if (end - start < SECONDS_PREFIX + 1) return Number.NaN;
    if (
      text.charCodeAt(start + 4) !== 45 || // -
      text.charCodeAt(start + 7) !== 45 ||
      (text.charCodeAt(start + 10) | 0x20) !== 116 || // T or t
      text.charCodeAt(start + 13) !== 58 || // :
      text.charCodeAt(start + 16) !== 58
    ) {
      return Number.NaN;
    }
    const year = two(text, start) * 100 + two(text, start + 2);
    const month = two(text, start + 5);
    const day = two(text, start + 8);
    const hour = two(text, start + 11);
    const minute = two(text, start + 14);
    const second = two(text, start + 17);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return Number.NaN;
    // the day's start is cached: lines of one stream mostly share their day
    const dayKey = year * 10000 + month * 100 + day;
    if (dayKey !== this.#dayKey) {
      if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
      this.#dayMs = Date.UTC(year, month - 1, day);
      this.#dayKey = dayKey;
    }
    const base = this.#dayMs + ((hour * 60 + minute) * 60 + second) * 1000;
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
}
