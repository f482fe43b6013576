import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionMatchers, parseLabelFlags, resolveConfig, scaledDuration } from '../../collector/src/generate/config.ts';

test('defaults: production profile, real windows, 99.9% and 1s@99', () => {
  const cfg = resolveConfig();
  assert.equal(cfg.profile, 'production');
  assert.equal(cfg.windowScale, 1);
  assert.equal(scaledDuration(cfg, 3600), '1h');
  assert.deepEqual(cfg.slo, { availability: 0.999, latency: { thresholdSeconds: 1, target: 0.99 } });
});

test('the test profile turns minutes into seconds', () => {
  const cfg = resolveConfig({ profile: 'test' });
  assert.equal(scaledDuration(cfg, 300), '5s');
  assert.equal(scaledDuration(cfg, 3600), '1m');
  assert.equal(scaledDuration(cfg, 259_200), '1h12m');
  assert.equal(scaledDuration(cfg, 30), '1s', 'never below one second');
});

test('an explicit windowScale wins over the profile', () => {
  assert.equal(scaledDuration(resolveConfig({ profile: 'test', windowScale: 0.5 }), 600), '5m');
});

const invalid: Array<[string, Parameters<typeof resolveConfig>[0]]> = [
  ['selector', { selector: 'job=fnscope' }],
  ['collector selector', { collectorSelector: '{job="x"}' }],
  ['availability', { slo: { availability: 1, latency: { thresholdSeconds: 1, target: 0.99 } } }],
  ['latency target', { slo: { availability: 0.99, latency: { thresholdSeconds: 1, target: 99 } } }],
  ['latency threshold', { slo: { availability: 0.99, latency: { thresholdSeconds: 0, target: 0.99 } } }],
  ['window scale', { windowScale: 2 }],
  ['timeout ratio', { timeoutRatio: 0 }],
  ['profile', { profile: 'staging' as 'test' }],
];
for (const [what, partial] of invalid) {
  test(`resolveConfig rejects an invalid ${what}`, () => assert.throws(() => resolveConfig(partial), { code: 'FNS_CONFIG_INVALID' }));
}

test('the selector joins every function matcher', () => {
  assert.deepEqual(functionMatchers(resolveConfig({ selector: 'job="fnscope", env=~"prod|stage"' })), [
    'function!=""',
    'job="fnscope"',
    'env=~"prod|stage"',
  ]);
});

test('parseLabelFlags', () => {
  assert.deepEqual(parseLabelFlags(['release=prometheus', 'app.kubernetes.io/part-of=obs', 'empty=']), {
    release: 'prometheus',
    'app.kubernetes.io/part-of': 'obs',
    empty: '',
  });
  for (const bad of ['novalue', '=x', 'bad key=x']) assert.throws(() => parseLabelFlags([bad]), { code: 'FNS_CONFIG_INVALID' }, bad);
});
