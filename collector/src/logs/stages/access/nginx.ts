/**
 * Kubeless php (nginx in front of PHP-FPM) prints:
 *   127.0.0.1 - - [22/Nov/2026:02:38:33 +0000] "POST / HTTP/1.1" 500 5 "-" "curl/7.88.1"   (nginx combined)
 *   - -  22/Nov/2026:02:38:33 +0000 "POST /index.php" 500                                 (PHP-FPM pool log)
 * nginx's line has the URL the client asked for and is the one counted; PHP-FPM's line (the script, not
 * the URL) is parsed with `counted: false`. nginx `common`, and `combined` followed by one number of
 * seconds (`$request_time`), are read too.
 */
import type { AccessRecord } from '../../types.ts';
import { MAX_ACCESS_LINE_LENGTH, parseClf, readRequest, statusAt } from './clf.ts';
import { clfCandidate, phpFpmCandidate } from './gates.ts';

/** `%R - %u %t ` of PHP-FPM's default access.format, up to the request's opening quote. */
const FPM_PREFIX = /^\S{1,64} - \S{0,64} {1,2}\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4} $/;

export function parseNginxAccess(text: string): AccessRecord | null {
  if (clfCandidate(text)) {
    const rec = parseClf(text, 0);
    if (rec !== null) return rec.format === 'combined' || rec.format === 'common' ? rec : null;
  }
  return parsePhpFpmAccess(text);
}

export function parsePhpFpmAccess(text: string): AccessRecord | null {
  if (!phpFpmCandidate(text) || text.length > MAX_ACCESS_LINE_LENGTH) return null;
  const close = text.length - 5;
  const status = statusAt(text, close + 2);
  if (status < 0) return null;
  const open = text.lastIndexOf('"', close - 1);
  if (open < 0 || open > 200 || !FPM_PREFIX.test(text.slice(0, open))) return null;
  const rec = readRequest(text, open, close, 'php-fpm', status);
  if (rec !== null) rec.counted = false;
  return rec;
}
