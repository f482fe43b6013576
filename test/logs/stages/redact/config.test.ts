import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileCustomRule,
  defaultPresetNames,
  parseRedactFlag,
  presetNames,
  RedactStage,
  resolveRedactionRules,
  selectPresets,
} from '../../../../collector/src/logs/stages/redact/index.ts';
import { ErrorCodes, FnscopeError } from '../../../../collector/src/util/errors.ts';

test('preset selection applies entries in order to the default set', () => {
  const defaults = defaultPresetNames();
  const cases: [string[], string[]][] = [
    [[], defaults],
    [['email'], [...defaults, 'email']],
    [['+email', '-jwt'], [...defaults.filter((n) => n !== 'jwt'), 'email']],
    [['none'], []],
    [['none', 'bearer'], ['bearer']],
    [['all'], presetNames()],
    [['all', 'default'], defaults],
    [[' email ', ''], [...defaults, 'email']],
  ];
  for (const [entries, want] of cases) assert.deepEqual([...selectPresets(entries)].sort(), [...want].sort(), entries.join(','));
  // rules run in the presets' order whatever the order asked
  assert.deepEqual(
    resolveRedactionRules({ presets: ['none', 'email', 'jwt'] }).map((r) => r.name),
    ['jwt', 'email'],
  );
});

test('--redact flag values', () => {
  assert.deepEqual(parseRedactFlag('email,-jwt'), ['email', '-jwt']);
  assert.deepEqual(parseRedactFlag(' none , bearer ,'), ['none', 'bearer']);
  assert.deepEqual(parseRedactFlag(''), []);
});

test('custom rules run after the presets, with their own marker', () => {
  const rules = resolveRedactionRules({ rules: [{ name: 'employee-id', pattern: 'EMP-[0-9]{6}' }, { name: 'ssn', pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' }] });
  assert.deepEqual(rules.map((r) => r.name), [...defaultPresetNames(), 'employee-id', 'ssn']);
  const stage = new RedactStage({ rules });
  assert.equal(stage.redact('EMP-123456 and emp-123456, ssn 078-05-1120'), '[REDACTED:employee-id] and emp-123456, ssn [REDACTED:ssn]');
  const ci = compileCustomRule({ name: 'emp', pattern: 'emp-\\d+', flags: 'i' });
  assert.equal(new RedactStage({ rules: [ci] }).redact('EMP-1 emp-2'), '[REDACTED:emp] [REDACTED:emp]');
});

test('invalid configuration is refused with FNS_CONFIG_INVALID', () => {
  const bad: [string, () => unknown][] = [
    ['unknown preset', () => selectPresets(['passwords'])],
    ['unknown preset to disable', () => selectPresets(['-nope'])],
    ['bad name', () => compileCustomRule({ name: 'Has Space', pattern: 'x' })],
    ['bad flags', () => compileCustomRule({ name: 'x', pattern: 'x', flags: 'g' })],
    ['syntax error', () => compileCustomRule({ name: 'x', pattern: '(' })],
    ['nested quantifier', () => compileCustomRule({ name: 'x', pattern: '(a+)+b' })],
    ['nested star', () => compileCustomRule({ name: 'x', pattern: '(\\w*)*' })],
    ['nested bounded', () => compileCustomRule({ name: 'x', pattern: '(x{1,5})+' })],
    ['matches empty', () => compileCustomRule({ name: 'x', pattern: 'a*' })],
    ['name taken by a preset', () => resolveRedactionRules({ rules: [{ name: 'jwt', pattern: 'x' }] })],
    ['name used twice', () => resolveRedactionRules({ rules: [{ name: 'a', pattern: 'x' }, { name: 'a', pattern: 'y' }] })],
  ];
  for (const [name, fn] of bad) {
    assert.throws(fn, (e: unknown) => e instanceof FnscopeError && e.code === ErrorCodes.CONFIG_INVALID, name);
  }
  // and these are fine
  for (const pattern of ['(ab)+', 'a+b+', '(?:x|y){2}', '[a-z]+@corp\\.example']) {
    assert.doesNotThrow(() => compileCustomRule({ name: 'ok', pattern }), pattern);
  }
});
