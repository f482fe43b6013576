import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StagePipeline } from '../../../collector/src/logs/stages/pipeline.ts';
import type { LogLine, Stage } from '../../../collector/src/logs/types.ts';

function line(text: string): LogLine {
  return {
    namespace: 'ns', function: 'fn', pod: 'p', container: 'c', stream: 'stdout',
    time: 0, timeText: '', seq: 0, text, truncated: false, access: null,
  };
}

test('stages run in order, a null ends the line, endStream reaches every stage', () => {
  const seen: string[] = [];
  const ended: string[] = [];
  const upper: Stage = { name: 'upper', process: (l) => ((l.text = l.text.toUpperCase()), l) };
  const dropX: Stage = { name: 'drop', process: (l) => (l.text.includes('X') ? null : l) };
  const record: Stage = {
    name: 'record',
    process: (l) => (seen.push(l.text), l),
    endStream: (ns, pod, c) => void ended.push(`${ns}/${pod}/${c}`),
  };
  const p = new StagePipeline([upper, dropX, record]);
  const cases: [string, string | null][] = [
    ['hello', 'HELLO'],
    ['box', null],
    ['', ''],
  ];
  for (const [input, want] of cases) assert.equal(p.process(line(input))?.text ?? null, want, input);
  assert.deepEqual(seen, ['HELLO', '']);
  p.endStream('ns', 'p', 'c');
  assert.deepEqual(ended, ['ns/p/c']);
  assert.equal(new StagePipeline([]).process(line('as is'))?.text, 'as is');
});
