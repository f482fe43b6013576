/**
 * The NCSA Common Log Format core shared by most runtimes' access lines, read by hand (no regex):
 *
 *   host ident user [date] "METHOD target PROTO" status bytes<suffix>
 *
 * and the suffix tells the formats apart:
 *   ''                          common (WEBrick when the zone is a name such as `UTC`)
 *   ' 0.0006'                   rack (Rack::CommonLogger: seconds)
 *   ' "referer" "ua"'           combined (morgan, nginx)
 *   ' "referer" "ua" 0/11745'   bottle (wsgi-request-logger: seconds/microseconds)
 * A combined line with one trailing number (nginx `combined` plus `$request_time`) keeps it as seconds.
 */
import type { AccessFormat, AccessRecord } from '../../types.ts';
import { digitsValue, isDigit } from '../../../util/digits.ts';
import { methodEnd } from './method.ts';

/** Longest line tried as an access line; longer ones are not access lines. */
export const MAX_ACCESS_LINE_LENGTH = 8 * 1024;
const MAX_TOKEN = 256;

/** A record with every field present, so that all records share one object shape. */
export function newRecord(format: AccessFormat, method: string, path: string, status: number): AccessRecord {
  return { format, method, path, status, durationSeconds: undefined, bytes: undefined, userAgent: undefined, counted: true };
}

/** Index after a run of digits starting at i (i when there is none). */
function digitsEnd(text: string, i: number): number {
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** A decimal number filling text[from, to): `12`, `0.0006`; NaN otherwise. */
export function parseDecimal(text: string, from: number, to: number): number {
  const intEnd = digitsEnd(text, from);
  if (intEnd === from || intEnd > to) return Number.NaN;
  if (intEnd === to) return digitsValue(text, from, to);
  if (text.charCodeAt(intEnd) !== 46 || digitsEnd(text, intEnd + 1) !== to || intEnd + 1 === to) return Number.NaN;
  return Number(text.slice(from, to));
}

/** A three-digit HTTP status (100-599) at i, or -1. */
export function statusAt(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  const c = text.charCodeAt(i + 2) - 48;
  if (a < 1 || a > 5 || !(b >= 0 && b <= 9) || !(c >= 0 && c <= 9)) return -1;
  return a * 100 + b * 10 + c;
}

/**
 * Read `"METHOD target PROTO"` whose opening quote is at `open` and closing quote at `close` into a new
 * record; null when it is not a request line.
 */
export function readRequest(text: string, open: number, close: number, format: AccessFormat, status: number): AccessRecord | null {
  // the method and the first space after it, read in one pass
  const m = methodEnd(text, open + 1);
  if (m < 0 || m >= close) return null;
  let pathEnd = text.lastIndexOf(' ', close - 1);
  if (pathEnd <= m) pathEnd = close; // HTTP/0.9: no protocol
  if (pathEnd === m + 1) return null;
  return newRecord(format, text.slice(open + 1, m), text.slice(m + 1, pathEnd), status);
}

/**
 * Parse a CLF-family line starting at `from`; null when it is not one. `format` tells which one it is.
 *
 * Read with few searches: the '[' first (most lines that are not access lines have none), no search for
 * a one-character ident, the method and its space in one pass (readRequest), numbers of up to 15 digits
 * read in place (digitsValue). With the two-character test of the python copy's prefix (bottle.ts),
 * bench/log-stages.ts, scan + decode + access over scan + decode: 117-118 → 106-110 ns per line.
 */
export function parseClf(text: string, from: number): AccessRecord | null {
  const len = text.length;
  if (len - from < 30 || len > MAX_ACCESS_LINE_LENGTH) return null;
  // host ident user [: lines without a '[' where the date can be are rejected by one search
  let bracket = text.indexOf('[', from + 5);
  if (bracket < 0) return null;
  const s1 = text.indexOf(' ', from);
  if (s1 <= from || s1 - from > MAX_TOKEN) return null;
  // ident is mostly one character ('-'): then no search
  const s2 = text.charCodeAt(s1 + 1) !== 32 && text.charCodeAt(s1 + 2) === 32 ? s1 + 2 : text.indexOf(' ', s1 + 1);
  if (s2 <= s1 + 1 || s2 - s1 > MAX_TOKEN) return null;
  // text.indexOf(' [', s2 + 1), found from the rare '[' (a search for ' [' stops at every space)
  if (bracket < s2 + 2) bracket = text.indexOf('[', s2 + 2);
  let s3 = -1;
  for (let b = bracket; b >= 0 && b - 1 - s2 <= MAX_TOKEN; b = text.indexOf('[', b + 1)) {
    if (text.charCodeAt(b - 1) === 32) {
      s3 = b - 1;
      break;
    }
  }
  if (s3 <= s2 || s3 - s2 > MAX_TOKEN) return null;
  const dateEnd = text.indexOf(']', s3 + 2);
  if (dateEnd < s3 + 12 || dateEnd - s3 > 48) return null;
  if (text.charCodeAt(dateEnd + 1) !== 32 || text.charCodeAt(dateEnd + 2) !== 34) return null;
  const numericZone = isDigit(text.charCodeAt(dateEnd - 1));
  // "request" status bytes: the request ends at the quote followed by a space and a status
  const open = dateEnd + 2;
  let close = text.indexOf('" ', open + 1);
  let status = -1;
  while (close > 0) {
    status = statusAt(text, close + 2);
    const after = text.charCodeAt(close + 5);
    if (status > 0 && (after === 32 || close + 5 === len)) break;
    close = text.indexOf('" ', close + 1);
    status = -1;
  }
  if (status < 0) return null;
  let i = close + 6; // first char of bytes
  if (i >= len) return null;
  const dash = text.charCodeAt(i) === 45;
  const bytesEnd = dash ? i + 1 : digitsEnd(text, i);
  if (bytesEnd === i || (bytesEnd < len && text.charCodeAt(bytesEnd) !== 32)) return null;
  let end = len;
  while (end > bytesEnd && text.charCodeAt(end - 1) === 32) end--; // rack 3 ends its line with a space
  const rec = readRequest(text, open, close, numericZone ? 'common' : 'webrick', status);
  if (rec === null) return null;
  if (!dash) rec.bytes = digitsValue(text, i, bytesEnd);
  i = bytesEnd;
  if (i === end) return rec;
  if (text.charCodeAt(i + 1) !== 34) {
    // rack: one number of seconds
    const seconds = parseDecimal(text, i + 1, end);
    if (Number.isNaN(seconds)) return null;
    rec.format = 'rack';
    rec.durationSeconds = seconds;
    return rec;
  }
  return readCombinedTail(text, i + 1, end, rec) ? rec : null;
}

/** ` "referer" "ua"` with an optional ` s/us` or ` seconds` after it, from the referer's quote at q. */
function readCombinedTail(text: string, q: number, end: number, rec: AccessRecord): boolean {
  const refEnd = text.indexOf('" "', q + 1);
  if (refEnd < 0 || refEnd >= end) return false;
  const uaStart = refEnd + 3;
  if (text.charCodeAt(end - 1) === 34) {
    if (end - 1 < uaStart) return false;
    rec.format = 'combined';
    rec.userAgent = text.slice(uaStart, end - 1);
    return true;
  }
  const sp = text.lastIndexOf(' ', end - 1);
  if (sp < uaStart || text.charCodeAt(sp - 1) !== 34) return false;
  rec.userAgent = text.slice(uaStart, sp - 1);
  const slash = text.indexOf('/', sp + 1);
  if (slash > 0 && slash < end) {
    // bottle: whole seconds / microseconds
    const secEnd = digitsEnd(text, sp + 1);
    const usEnd = digitsEnd(text, slash + 1);
    if (secEnd !== slash || secEnd === sp + 1 || usEnd !== end || usEnd === slash + 1) return false;
    rec.format = 'bottle';
    rec.durationSeconds = digitsValue(text, sp + 1, slash) + digitsValue(text, slash + 1, end) / 1e6;
    return true;
  }
  const seconds = parseDecimal(text, sp + 1, end);
  if (Number.isNaN(seconds)) return false;
  rec.format = 'combined';
  rec.durationSeconds = seconds;
  return true;
}
