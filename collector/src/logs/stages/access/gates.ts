/** Cheap first-character checks that reject most non-access lines before any parsing. */

/** Can a CLF-family host start with this character? A digit, hex letter, ':', '-' or '['. */
export function clfFirst(c: number): boolean {
  return (
    (c >= 48 && c <= 58) || // 0-9 and ':'
    (c >= 97 && c <= 102) || // a-f
    (c >= 65 && c <= 70) || // A-F
    c === 45 || // '-'
    c === 91 // '[' (a redacted address)
  );
}

/** Could this line start a CLF-family access line? */
export function clfCandidate(text: string, from = 0): boolean {
  return text.length - from >= 30 && clfFirst(text.charCodeAt(from));
}

/** Does the line start with a Go `log` timestamp, `2026/11/22 01:30:04`? */
export function goLogCandidate(text: string): boolean {
  return (
    text.length >= 30 &&
    text.charCodeAt(4) === 47 &&
    text.charCodeAt(7) === 47 &&
    text.charCodeAt(10) === 32 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(0) >= 48 &&
    text.charCodeAt(0) <= 57
  );
}

/** Does the line end like PHP-FPM's access log, `… "GET /index.php" 200`? */
export function phpFpmCandidate(text: string): boolean {
  const n = text.length;
  return n >= 30 && text.charCodeAt(n - 5) === 34 && text.charCodeAt(n - 4) === 32;
}
