/**
 * Kubeless python (bottle on CherryPy, logged by wsgi-request-logger) on stdout:
 *   127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "POST / HTTP/1.1" 500 742 "" "curl/7.88.1" 0/11745
 * The last field is the duration as whole seconds / microseconds (`3/4227` is 3.004227 s).
 *
 * Once the runtime has logged an error, Python's root logger also copies every access line to stderr as
 * `INFO:requestlogger:<line>`. The stdout line is always printed, the copy only after the first error, so
 * the stdout line is the one counted: the copy is parsed with `counted: false`.
 */
import type { AccessRecord } from '../../types.ts';
import { parseClf } from './clf.ts';
import { clfCandidate } from './gates.ts';

export const REQUESTLOGGER_COPY_PREFIX = 'INFO:requestlogger:';

/** Does the line start with REQUESTLOGGER_COPY_PREFIX? Two characters first: most `INFO` lines differ at the fifth or sixth. */
export function isRequestLoggerCopy(text: string): boolean {
  return text.charCodeAt(0) === 73 && text.charCodeAt(4) === 58 && text.charCodeAt(5) === 114 && text.startsWith(REQUESTLOGGER_COPY_PREFIX);
}

export function parseBottleAccess(text: string): AccessRecord | null {
  let from = 0;
  let counted = true;
  if (isRequestLoggerCopy(text)) {
    from = REQUESTLOGGER_COPY_PREFIX.length;
    counted = false;
  }
  if (!clfCandidate(text, from)) return null;
  const rec = parseClf(text, from);
  if (rec === null || rec.format !== 'bottle') return null;
  rec.counted = counted;
  return rec;
}
