/**
 * CRI container log-file lines, `<RFC3339Nano> <stdout|stderr> <P|F> <text>`, recognized per line so a
 * stream can mix them with plain lines. Checks fixed positions before anything else.
 */
export interface CriLine {
  stream: 'stdout' | 'stderr';
  /** True for a `P` record: the text continues in the stream's next record. */
  partial: boolean;
  text: string;
}

export function parseCriLine(line: string): CriLine | null {
  // 2026-11-22T01:30:18.123456789Z stdout F text
  if (line.length < 30) return null;
  const c = line.charCodeAt(0);
  if (c < 48 || c > 57 || line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45 || line.charCodeAt(10) !== 84 || line.charCodeAt(13) !== 58) {
    return null;
  }
  const sp = line.indexOf(' ', 19);
  if (sp < 0 || sp > 40) return null;
  let stream: 'stdout' | 'stderr';
  if (line.startsWith('stdout ', sp + 1)) stream = 'stdout';
  else if (line.startsWith('stderr ', sp + 1)) stream = 'stderr';
  else return null;
  const tag = line.charCodeAt(sp + 8);
  if (tag !== 80 /* P */ && tag !== 70 /* F */) return null;
  if (line.length > sp + 9 && line.charCodeAt(sp + 9) !== 32) return null;
  return { stream, partial: tag === 80, text: line.slice(sp + 10) };
}
