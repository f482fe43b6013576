/**
 * Kubeless nodejs (express with morgan "combined") on stdout:
 *   ::ffff:127.0.0.1 - - [22/Nov/2026:01:30:36 +0000] "POST / HTTP/1.1" 500 21 "-" "curl/7.88.1"
 * The size is `-` when the response had no Content-Length. No duration is printed.
 */
import type { AccessRecord } from '../../types.ts';
import { parseClf } from './clf.ts';
import { clfCandidate } from './gates.ts';

export function parseMorganAccess(text: string): AccessRecord | null {
  if (!clfCandidate(text)) return null;
  const rec = parseClf(text, 0);
  return rec !== null && rec.format === 'combined' ? rec : null;
}
