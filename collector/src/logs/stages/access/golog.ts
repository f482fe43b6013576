/**
 * The Go `log` line of the Kubeless go runtime and of the function-proxy in front of ruby, php and
 * ballerina, on stderr:
 *   2026/11/22 01:30:04 127.0.0.1:34304 "POST / HTTP/1.1" 500 curl/7.88.1
 * (`remote "METHOD URI PROTO" status user-agent`; no size, no duration.)
 */
import type { AccessRecord } from '../../types.ts';
import { MAX_ACCESS_LINE_LENGTH, readRequest, statusAt } from './clf.ts';
import { goLogCandidate } from './gates.ts';

const MAX_ADDRESS = 64;

export function parseGoLogAccess(text: string): AccessRecord | null {
  const len = text.length;
  if (!goLogCandidate(text) || len > MAX_ACCESS_LINE_LENGTH) return null;
  let i = 19;
  if (text.charCodeAt(i) === 46) {
    i++; // log.Lmicroseconds
    while (i < len && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  }
  if (text.charCodeAt(i) !== 32) return null;
  const addrEnd = text.indexOf(' ', i + 1);
  if (addrEnd <= i + 1 || addrEnd - i > MAX_ADDRESS || text.charCodeAt(addrEnd + 1) !== 34) return null;
  const open = addrEnd + 1;
  let close = text.indexOf('" ', open + 1);
  let status = -1;
  while (close > 0) {
    status = statusAt(text, close + 2);
    if (status > 0 && (close + 5 === len || text.charCodeAt(close + 5) === 32)) break;
    close = text.indexOf('" ', close + 1);
    status = -1;
  }
  if (status < 0) return null;
  const rec = readRequest(text, open, close, 'go-log', status);
  const uaStart = close + 6;
  if (rec !== null && uaStart < len) rec.userAgent = text.slice(uaStart);
  return rec;
}
