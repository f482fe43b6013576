import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCardNumber, luhnValid } from '../../../../collector/src/logs/stages/redact/index.ts';

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
