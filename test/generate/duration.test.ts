import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration, roundNumber } from '../../collector/src/generate/duration.ts';

const formats: Array<[number, string]> = [
  [300, '5m'],
  [3600, '1h'],
  [86_400, '1d'],
  [259_200, '3d'],
  [2_592_000, '30d'],
  [4320, '1h12m'],
  [90, '1m30s'],
  [5, '5s'],
  [0.5, '500ms'],
  [300 / 60, '5s'],
  [0, '1ms'],
];
for (const [seconds, text] of formats) {
  test(`formatDuration(${seconds}) = ${text}`, () => assert.equal(formatDuration(seconds), text));
}

const parses: Array<[string, number]> = [
  ['0.5s', 0.5],
  ['500ms', 0.5],
  ['2', 2],
  ['1.5m', 90],
  [' 1h ', 3600],
];
for (const [text, seconds] of parses) {
  test(`parseDuration("${text}") = ${seconds}`, () => assert.equal(parseDuration(text), seconds));
}

for (const bad of ['', 'fast', '-1s', '0s', '1w', '1s2']) {
  test(`parseDuration rejects "${bad}"`, () => assert.throws(() => parseDuration(bad), { code: 'FNS_CONFIG_INVALID' }));
}

test('roundNumber drops binary noise', () => {
  assert.notEqual(99.9 / 100, 0.999);
  assert.equal(roundNumber(99.9 / 100), 0.999);
});
