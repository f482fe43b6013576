/** Every access format at once, for functions whose runtime is unknown: each line is read at most once per family. */
import type { AccessRecord } from '../../types.ts';
import { isRequestLoggerCopy, REQUESTLOGGER_COPY_PREFIX } from './bottle.ts';
import { parseClf } from './clf.ts';
import { clfCandidate, goLogCandidate } from './gates.ts';
import { parseGoLogAccess } from './golog.ts';
import { parsePhpFpmAccess } from './nginx.ts';

/** WEBrick's and PHP-FPM's own lines and python's stderr copy never count: they repeat a line that does. */
export function parseAnyAccess(text: string): AccessRecord | null {
  if (goLogCandidate(text)) {
    const rec = parseGoLogAccess(text);
    if (rec !== null) return rec;
  }
  let from = 0;
  let copy = false;
  if (isRequestLoggerCopy(text)) {
    from = REQUESTLOGGER_COPY_PREFIX.length;
    copy = true;
  }
  if (clfCandidate(text, from)) {
    const rec = parseClf(text, from);
    if (rec !== null) {
      if (copy && rec.format !== 'bottle') return null;
      rec.counted = !copy && rec.format !== 'webrick';
      return rec;
    }
  }
  return copy ? null : parsePhpFpmAccess(text);
}
