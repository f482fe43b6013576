import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveServeSettings } from '../../collector/src/cli/serve-config.ts';
import { UsageError } from '../../collector/src/util/errors.ts';

test('--sandbox-rate: a number of calls per second above 0, checked before anything starts', () => {
  const rate = (r: string | undefined) => resolveServeSettings({ values: r === undefined ? {} : { 'sandbox-rate': r }, positionals: [] }).trafficRate;
  assert.equal(rate(undefined), undefined, 'the sandbox default');
  assert.equal(rate('3'), 3);
  assert.equal(rate('0.5'), 0.5);
  for (const bad of ['0', '-1', 'fast', '1001', 'Infinity']) {
    assert.throws(() => rate(bad), (e: unknown) => e instanceof UsageError && /--sandbox-rate must be a number of calls per second above 0.*--no-traffic/.test(e.message), bad);
  }
});
