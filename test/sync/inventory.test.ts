import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryOf } from '../../collector/src/sync/index.ts';

test('inventoryOf: one entry per function, sorted, unknown runtime and handler as empty strings', () => {
  const inv = inventoryOf([
    { namespace: 'shop', name: 'orders', runtime: 'nodejs14', handler: 'orders.place', annotations: { 'fnscope.io/slo-availability': '99.5' } },
    { namespace: 'default', name: 'hello', runtime: null, handler: null, annotations: {} },
    { namespace: 'shop', name: 'orders', runtime: null, handler: null, annotations: {} },
    { namespace: 'default', name: 'bikesearch', runtime: 'python3.8', handler: 'b.search', annotations: {} },
  ]);
  assert.deepEqual(inv.functions.map((f) => `${f.namespace}/${f.name}`), ['default/bikesearch', 'default/hello', 'shop/orders']);
  assert.deepEqual(inv.functions[1], { namespace: 'default', name: 'hello', runtime: '', handler: '', annotations: {} });
  assert.equal(inv.functions[2]!.annotations['fnscope.io/slo-availability'], '99.5', 'the first entry of a function wins');
});
