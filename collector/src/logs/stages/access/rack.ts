/**
 * Kubeless ruby (Sinatra on WEBrick) on stderr prints two lines per request:
 *   127.0.0.1 - - [22/Nov/2026:02:38:03 +0000] "GET / HTTP/1.1" 200 11 0.0003   (Rack::CommonLogger)
 *   127.0.0.1 - - [22/Nov/2026:02:38:03 UTC] "GET / HTTP/1.1" 200 11            (WEBrick's own log)
 *   - -> /                                                                         (WEBrick's referer log)
 * Rack's line carries the duration and is the one counted; WEBrick's copy is parsed with `counted: false`.
 */
import type { AccessRecord } from '../../types.ts';
import { parseClf } from './clf.ts';
import { clfCandidate } from './gates.ts';

export function parseRackAccess(text: string): AccessRecord | null {
  if (!clfCandidate(text)) return null;
  const rec = parseClf(text, 0);
  if (rec === null) return null;
  if (rec.format === 'rack') return rec;
  if (rec.format !== 'webrick') return null;
  rec.counted = false;
  return rec;
}
