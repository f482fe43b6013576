import assert from 'node:assert/strict';
import { test } from 'node:test';
import { creditCardRule, isCardNumber, luhnValid } from '../../../../collector/src/logs/stages/redact/index.ts';

test('Luhn check', () => {
  const cases: [string, boolean][] = [
    ['79927398713', true],
    ['79927398710', false],
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['0', true],
    ['18', true],
    ['19', false],
  ];
  for (const [digits, want] of cases) assert.equal(luhnValid(digits), want, digits);
});

test('card numbers: a network prefix with its lengths, and Luhn', () => {
  const cases: [string, boolean][] = [
    ['4111111111111111', true], // Visa 16
    ['4222222222222', true], // Visa 13
    ['5555555555554444', true], // Mastercard
    ['2223003122003222', true], // Mastercard 2-series
    ['378282246310005', true], // American Express
    ['6011111111111117', true], // Discover
    ['3530111333300000', true], // JCB
    ['30569309025904', true], // Diners
    ['6200000000000005', true], // UnionPay
    ['1234567812345670', false], // passes Luhn, no network
    ['4111111111111', false], // Visa prefix, 13 digits, fails Luhn
    ['37828224631000', false], // Amex prefix, 14 digits
    ['5555555555554', false], // Mastercard prefix, 13 digits
    ['41111111111111111111', false], // too long
  ];
  for (const [digits, want] of cases) assert.equal(isCardNumber(digits), want, digits);
});

test('apply: each run of digits is looked at once, whole; only card numbers standing alone are replaced', () => {
  const M = '[REDACTED:credit-card]';
  const cases: [string, string, number][] = [
    ['ts=1795318218123 epoch ms', 'ts=1795318218123 epoch ms', 0],
    ['4111111111111111', M, 1],
    ['4111111111111111 at the start', `${M} at the start`, 1],
    ['at the end 5555555555554444', `at the end ${M}`, 1],
    ['two: 4111111111111111, 378282246310005.', `two: ${M}, ${M}.`, 2],
    ['glued x4111111111111111 and 4111111111111111y', 'glued x4111111111111111 and 4111111111111111y', 0],
    ['under_4111111111111111', 'under_4111111111111111', 0],
    ['grouped 4111 1111 1111 1111 and 5555-5555-5555-4444', `grouped ${M} and ${M}`, 2],
    ['mixed separators 4111 1111-1111 1111', 'mixed separators 4111 1111-1111 1111', 0],
    ['paid 25 4012888888881881 today', `paid 25 ${M} today`, 1],
    ['ids 1795318218123 1795318218124 4111111111111111', `ids 1795318218123 1795318218124 ${M}`, 1],
    ['too long 41111111111111111111', 'too long 41111111111111111111', 0],
    ['no Luhn 4111111111111112', 'no Luhn 4111111111111112', 0],
    ['a date 2026-11-22 and 2026-1122', 'a date 2026-11-22 and 2026-1122', 0],
    ['{"pan":"6011111111111117","n":1795318218123}', `{"pan":"${M}","n":1795318218123}`, 1],
    ['one digit short 411111111111', 'one digit short 411111111111', 0],
  ];
  for (const [text, want, count] of cases) {
    let n = 0;
    assert.equal(creditCardRule.apply(text, { add: (rule) => void (rule === 'credit-card' && n++) }), want, text);
    assert.equal(n, count, `${text}: count`);
  }
});
