/**
 * Logger header lines: the line a logging call writes just before the trace it logs, e.g. Python's
 * `ERROR:root:Function returned an exception: …`, logback's `12:00:01.123 [main] ERROR c.e.App - failed`,
 * log4j2's `2026-11-22T01:30:00,123 ERROR [main] App - failed`, or java.util.logging's `SEVERE: failed`.
 * The assembler holds such a line back for one line and makes it the first line of a trace that follows.
 * Checks are ordered cheapest first: this runs on every line that starts no trace.
 */
const LEVEL_PREFIXES = ['ERROR:', 'CRITICAL:', 'WARNING:', 'FATAL:', 'SEVERE:', 'EXCEPTION:'];
const LEVEL_RE = /(?:^|[\s[|])(?:ERROR|FATAL|CRITICAL|SEVERE|WARN|WARNING|EXCEPTION)(?:[\s\]|:]|$)/;

export function isLogHeader(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 69 /* E */ || c === 67 /* C */ || c === 87 /* W */ || c === 70 /* F */ || c === 83 /* S */) {
    for (const p of LEVEL_PREFIXES) if (line.startsWith(p)) return true;
    return false;
  }
  // Timestamped or bracketed lines: 2026-11-22 …, 12:00:01.123 …, [2026-11-22 …], Nov 22, 2026 …
  if ((c >= 48 && c <= 57) || c === 91 /* [ */) return LEVEL_RE.test(line);
  return false;
}
