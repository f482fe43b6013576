import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../collector/src/generate/config.ts';
import { parseAvailability, parseLatency, resolveSlo, sloObjectiveSamples } from '../../collector/src/generate/slo.ts';

const availability: Array<[string, number]> = [
  ['99.9', 0.999],
  ['99.95%', 0.9995],
  [' 95 ', 0.95],
];
for (const [text, ratio] of availability) {
  test(`availability "${text}" = ${ratio}`, () => assert.equal(parseAvailability(text), ratio));
}
for (const bad of ['100', '0', 'high', '-5', '99.9x']) {
  test(`availability "${bad}" is rejected`, () => assert.throws(() => parseAvailability(bad), { code: 'FNS_CONFIG_INVALID' }));
}

const latency: Array<[string, number, number]> = [
  ['0.5s@99', 0.5, 0.99],
  ['500ms @ 99.5', 0.5, 0.995],
  ['2@95', 2, 0.95],
  ['1s@99.9%', 1, 0.999],
];
for (const [text, threshold, target] of latency) {
  test(`latency "${text}"`, () => assert.deepEqual(parseLatency(text), { thresholdSeconds: threshold, target }));
}
for (const bad of ['0.5s', '@99', '0.5s@', '0.5s@100', 'fast@99', '1s@99@1']) {
  test(`latency "${bad}" is rejected`, () => assert.throws(() => parseLatency(bad), { code: 'FNS_CONFIG_INVALID' }));
}

function fn(annotations: Record<string, string>) {
  return { namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations };
}

test('resolveSlo: annotations override the defaults', () => {
  const warnings: string[] = [];
  const slo = resolveSlo(fn({ 'fnscope.io/slo-availability': '99.5', 'fnscope.io/slo-latency': '250ms@95' }), resolveConfig().slo, (m) => warnings.push(m));
  assert.deepEqual(slo, { availability: 0.995, latency: { thresholdSeconds: 0.25, target: 0.95 }, fromAnnotation: { availability: true, latency: true } });
  assert.deepEqual(warnings, []);
});

test('resolveSlo: invalid annotations fall back to the defaults, with a warning naming the function', () => {
  const warnings: string[] = [];
  const slo = resolveSlo(fn({ 'fnscope.io/slo-availability': 'lots', 'fnscope.io/slo-latency': 'soon' }), resolveConfig().slo, (m) => warnings.push(m));
  assert.deepEqual(slo.fromAnnotation, { availability: false, latency: false });
  assert.equal(slo.availability, 0.999);
  assert.equal(warnings.length, 2);
  for (const w of warnings) assert.match(w, /^shop\/checkout: fnscope\.io\/slo-/);
});

test('resolveSlo: a threshold no default histogram has is accepted with a warning', () => {
  const warnings: string[] = [];
  const slo = resolveSlo(fn({ 'fnscope.io/slo-latency': '0.3s@99' }), resolveConfig().slo, (m) => warnings.push(m));
  assert.equal(slo.latency.thresholdSeconds, 0.3);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /not one of the default histogram buckets/);
});

test('sloObjectiveSamples: what the collector exports as fnscope_function_slo_objective', () => {
  assert.deepEqual(sloObjectiveSamples(fn({ 'fnscope.io/slo-availability': '99.95', 'fnscope.io/slo-latency': '1000ms@99' })), [
    { labels: { namespace: 'shop', function: 'checkout', slo: 'availability' }, value: 0.9995 },
    { labels: { namespace: 'shop', function: 'checkout', slo: 'latency', le: '1' }, value: 0.99 },
  ]);
  assert.deepEqual(sloObjectiveSamples(fn({})), [], 'no annotations: nothing (the rules apply the defaults)');
  const warnings: string[] = [];
  assert.deepEqual(sloObjectiveSamples(fn({ 'fnscope.io/slo-availability': 'x' }), (m) => warnings.push(m)), []);
  assert.equal(warnings.length, 1);
});
