/**
 * Number scanning for sample values and timestamps, straight from the body text without making a
 * substring for the common cases. Accepts what Go's strconv.ParseFloat accepts for decimals
 * (sign, digits, fraction, exponent) and the special values NaN, Inf, +Inf, -Inf, Infinity in any
 * case. Hexadecimal floats and digit separators are rejected.
 */

/** Exact powers of ten representable as doubles. */
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Returned by the scanners for a token that is not a number. A real NaN is reported via `isNaNToken`. */
export const INVALID = Symbol('invalid');

const C_0 = 48;
const C_9 = 57;
const C_DOT = 46;
const C_PLUS = 43;
const C_MINUS = 45;
const C_E = 101;
const C_BIG_E = 69;

/**
 * Parse the float in text[start, end). Returns INVALID when the token is not a number.
 * Fast path (Clinger): up to 15 significant digits with a decimal exponent within ±22 is computed
 * exactly as one correctly rounded multiplication or division; anything else goes through Number().
 */
export function scanFloat(text: string, start: number, end: number): number | typeof INVALID {
  if (start >= end) return INVALID;
  let i = start;
  let c = text.charCodeAt(i);
  let neg = false;
  if (c === C_MINUS || c === C_PLUS) {
    neg = c === C_MINUS;
    if (++i >= end) return INVALID;
    c = text.charCodeAt(i);
  }
  if ((c < C_0 || c > C_9) && c !== C_DOT) return scanSpecial(text, i, end, neg);
  let mant = 0;
  let digits = 0;
  let exp10 = 0;
  let sawDigit = false;
  // Integer part.
  while (i < end) {
    c = text.charCodeAt(i);
    if (c < C_0 || c > C_9) break;
    sawDigit = true;
    if (digits > 0 || c !== C_0) {
      if (digits < 15) mant = mant * 10 + (c - C_0);
      else exp10++;
      digits++;
    }
    i++;
  }
  // Fraction.
  if (i < end && text.charCodeAt(i) === C_DOT) {
    i++;
    while (i < end) {
      c = text.charCodeAt(i);
      if (c < C_0 || c > C_9) break;
      sawDigit = true;
      if (digits > 0 || c !== C_0) {
        if (digits < 15) {
          mant = mant * 10 + (c - C_0);
          exp10--;
        }
        digits++;
      } else {
        exp10--;
      }
      i++;
    }
  }
  if (!sawDigit) return INVALID;
  // Exponent.
  if (i < end) {
    c = text.charCodeAt(i);
    if (c !== C_E && c !== C_BIG_E) return INVALID;
    i++;
    let eneg = false;
    if (i < end) {
      c = text.charCodeAt(i);
      if (c === C_MINUS || c === C_PLUS) {
        eneg = c === C_MINUS;
        i++;
      }
    }
    if (i >= end) return INVALID;
    let e = 0;
    while (i < end) {
      c = text.charCodeAt(i);
      if (c < C_0 || c > C_9) return INVALID;
      if (e < 100000) e = e * 10 + (c - C_0);
      i++;
    }
    exp10 += eneg ? -e : e;
  }
  if (digits > 15) return slowFloat(text, start, end);
  let v: number;
  if (exp10 === 0) v = mant;
  else if (exp10 > 0 && exp10 <= 22) v = mant * POW10[exp10]!;
  else if (exp10 < 0 && exp10 >= -22) v = mant / POW10[-exp10]!;
  else if (mant === 0) v = 0;
  else return slowFloat(text, start, end);
  return neg ? -v : v;
}

function slowFloat(text: string, start: number, end: number): number {
  // The token has been validated as a plain decimal above, so Number() cannot misread it.
  return Number(text.slice(start, end));
}

/** NaN / Inf / Infinity, case-insensitive, after an optional sign at `start - 1`. */
function scanSpecial(text: string, start: number, end: number, neg: boolean): number | typeof INVALID {
  const len = end - start;
  if (len !== 3 && len !== 8) return INVALID;
  const word = text.slice(start, end).toLowerCase();
  if (word === 'inf' || word === 'infinity') return neg ? -Infinity : Infinity;
  if (word === 'nan') return NaN;
  return INVALID;
}

/**
 * Parse a Prometheus 0.0.4 timestamp: an integer number of milliseconds, optionally signed.
 * Returns INVALID for anything else.
 */
export function scanInteger(text: string, start: number, end: number): number | typeof INVALID {
  if (start >= end) return INVALID;
  let i = start;
  let c = text.charCodeAt(i);
  let neg = false;
  if (c === C_MINUS || c === C_PLUS) {
    neg = c === C_MINUS;
    if (++i >= end) return INVALID;
  }
  let v = 0;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c < C_0 || c > C_9) return INVALID;
    v = v * 10 + (c - C_0);
  }
  return neg ? -v : v;
}
