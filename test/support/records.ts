import type { ExceptionRecord, LineRecord } from '../../collector/src/events/records.ts';

let seq = 0;
export function line(text: string, over: Partial<LineRecord> = {}): LineRecord {
  seq++;
  return { kind: 'line', seq, time: 1_800_000_000_000 + seq, ts: '', namespace: 'default', function: 'hello', pod: 'hello-abc', container: 'hello', stream: 'stdout', text, ...over };
}

export function exception(type: string, over: Partial<ExceptionRecord> = {}): ExceptionRecord {
  seq++;
  return {
    kind: 'exception', seq, time: 1_800_000_000_000 + seq, ts: '', namespace: 'default', function: 'bikesearch', pod: 'bikesearch-1', container: 'bikesearch', stream: 'stderr',
    language: 'python', type, message: "'term'", frames: [], causes: [], fingerprint: 'f1', lines: ['Traceback (most recent call last):', `${type}: 'term'`], ...over,
  };
}
