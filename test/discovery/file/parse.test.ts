import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseFileSd, normalizeAddress } from '../../../collector/src/discovery/file/parse.ts';
import { isFnscopeError } from '../../../collector/src/util/errors.ts';

const data = (name: string): string => readFileSync(new URL(`../../../testdata/discovery/${name}`, import.meta.url), 'utf8');

test('YAML file: labels, __scheme__ and __metrics_path__, other __ labels dropped', () => {
  const groups = parseFileSd(data('file-sd.yaml'), 'edge.yaml');
  assert.deepEqual(groups.map((g) => g.source), ['file:edge.yaml:0', 'file:edge.yaml:1']);
  assert.deepEqual(groups[0]!.labels, { namespace: 'edge', function: 'resize', runtime: 'python3.8' });
  assert.deepEqual(groups[0]!.targets.map((t) => [t.address, t.scheme, t.metricsPath]), [
    ['10.1.0.5:8080', 'http', '/metrics'], ['10.1.0.6:8080', 'http', '/metrics'],
  ]);
  assert.deepEqual(groups[1]!.labels, { namespace: 'edge', function: 'thumbnail', runtime: 'nodejs14', team: 'media' });
  assert.deepEqual(groups[1]!.targets.map((t) => [t.address, t.scheme, t.metricsPath]), [['metrics.example.internal:9443', 'https', '/internal/metrics']]);
});

test('JSON file: IPv6 and a target without a port (the scheme default, as Prometheus)', () => {
  const groups = parseFileSd(data('file-sd.json'), 'lab.json');
  assert.deepEqual(groups[1]!.targets.map((t) => t.address), ['[::1]:9200', 'localhost:80']);
});

const bad: Array<[string, string, RegExp]> = [
  ['broken YAML', data('file-sd-broken.yaml'), /not valid YAML/],
  ['not a list', 'targets: []', /expected a list/],
  ['targets not strings', '[{targets: [8080]}]', /targets must be a list/],
  ['a URL as target', '[{targets: ["http://h:1/metrics"]}]', /invalid target/],
  ['port out of range', '[{targets: ["h:70000"]}]', /invalid target/],
  ['bad label name', '[{targets: ["h:1"], labels: {"fn-name": x}}]', /invalid label name/],
  ['bad scheme', '[{targets: ["h:1"], labels: {__scheme__: ftp}}]', /__scheme__ must be http or https/],
  ['unknown field', '[{targets: ["h:1"], lables: {}}]', /unknown field/],
  ['label map value', '[{targets: ["h:1"], labels: {a: {b: c}}}]', /must be a string/],
];
for (const [name, text, re] of bad) {
  test(`invalid file: ${name}`, () => {
    assert.throws(() => parseFileSd(text, 'x.yaml'), (e: unknown) => isFnscopeError(e) && e.code === 'FNS_DISCOVERY_FILE_INVALID' && re.test(e.message));
  });
}

test('an empty file has no groups', () => {
  assert.deepEqual(parseFileSd('', 'x.yaml'), []);
  assert.deepEqual(parseFileSd('[]', 'x.json'), []);
  assert.equal(normalizeAddress(' host:1 ', 'http'), 'host:1');
  assert.equal(normalizeAddress('host', 'https'), 'host:443');
  assert.equal(normalizeAddress('a b:1', 'http'), undefined);
});
