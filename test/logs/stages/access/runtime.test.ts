import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessProfile, runtimeFamily } from '../../../../collector/src/logs/stages/access/index.ts';

test('Kubeless runtime ids map to their access-log family', () => {
  const cases: [string | null | undefined, string, boolean][] = [
    ['python2.7', 'python', false],
    ['python3.8', 'python', false],
    ['nodejs14', 'nodejs', false],
    ['nodejs_distroless8', 'nodejs', false],
    ['go1.14', 'go', false],
    ['ruby2.6', 'ruby', true],
    ['php7.4', 'php', true],
    ['ballerina0.981.0', 'proxy', false],
    ['java11', 'unknown', false],
    ['dotnetcore3.1', 'unknown', false],
    ['Python3.8', 'python', false],
    ['', 'unknown', false],
    [null, 'unknown', false],
    [undefined, 'unknown', false],
  ];
  for (const [runtime, family, behindProxy] of cases) {
    assert.equal(runtimeFamily(runtime), family, String(runtime));
    assert.equal(accessProfile(runtime).family, family, String(runtime));
    assert.equal(accessProfile(runtime).behindProxy, behindProxy, String(runtime));
  }
});
