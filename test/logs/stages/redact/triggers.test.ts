import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RedactStage, REDACTION_PRESETS, type RedactionTally } from '../../../../collector/src/logs/stages/redact/index.ts';

// Secrets below are made up for the tests.
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';

const KEYS = [
  'password', 'passwd', 'passphrase', 'pwd', 'db_password', 'token', 'access_token', 'refresh-token', 'id_token', 'authtoken',
  'secret', 'client_secret', 'secret_key', 'api_key', 'api-key', 'apikey', 'x-api-key', 'aws_secret_access_key', 'SecretAccessKey',
  'secretkey', 'authorization', 'proxy-authorization',
];
const SEPARATORS = ['=', ': ', ' = ', '":"', '": "', "'='", '  :  ', ':', '"=\t'];
const VALUES = [AWS_SECRET, 'hunter2', '"quoted value"', "'x1'", 'Basic dXNlcjpwYXNz', 'Bearer abcdef0123456789'];

/** Spellings of a key: as written, upper case, and a mixed case the rules (case-insensitive) also match. */
function spellings(key: string): string[] {
  const mixed = [...key].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
  return [key, key.toUpperCase(), mixed];
}

const LINES: string[] = [
  `session ${JWT} ok`, `Authorization: Bearer ${JWT}`, 'calling with bearer abcdef0123456789', 'BEARER abcdef0123456789',
  'using AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A', 'postgres://app:s3cr3t@db:5432/x', '//app:s3cr3t@db/x (no scheme)',
  'redis://:p%40ss@cache:6379/0', '-----BEGIN RSA PRIVATE KEY----- MIIE -----END RSA PRIVATE KEY-----', 'mail jane@example.com',
  'client 10.1.2.3', 'charged 4111 1111 1111 1111', 'plain line with token and secret and password but no separator',
];
for (const key of KEYS) {
  for (const k of spellings(key)) {
    for (const sep of SEPARATORS) for (const v of VALUES) LINES.push(`x ${k}${sep}${v} y`);
  }
}

const noTally: RedactionTally = { add: () => undefined };

test('every line a preset changes passes that preset\'s trigger', () => {
  let changed = 0;
  for (const { rule } of REDACTION_PRESETS) {
    for (const line of LINES) {
      if (rule.apply(line, noTally) === line) continue;
      changed++;
      assert.ok(rule.trigger === null || rule.trigger.test(line), `${rule.name} changes ${JSON.stringify(line)} but its trigger does not pass it`);
    }
  }
  assert.ok(changed > 500, `the lines exercise the rules (${changed} changes)`);
});

test('the merged pre-filter lets through every line a rule changes: the stage redacts as the rules alone do', () => {
  for (const { rule } of REDACTION_PRESETS) {
    const alone = new RedactStage({ rules: [rule] });
    for (const line of LINES) assert.equal(alone.redact(line), rule.apply(line, noTally), `${rule.name}: ${line}`);
  }
  const all = new RedactStage({ rules: REDACTION_PRESETS.map((p) => p.rule) });
  for (const line of LINES) {
    const byRules = REDACTION_PRESETS.reduce((text, { rule }) => (rule.trigger === null || rule.trigger.test(text) ? rule.apply(text, noTally) : text), line);
    assert.equal(all.redact(line), byRules, line);
  }
});

test('the url-password trigger, read back from the "@", passes exactly the lines its pattern matches in', () => {
  const rule = REDACTION_PRESETS.find((p) => p.rule.name === 'url-password')!.rule;
  const forward = new RegExp(rule.pattern!.source); // the pattern, without the g flag
  const lines = [
    'postgres://app:s3cr3t@db:5432/x', '//app:s3cr3t@db/x', 'redis://:p%40ss@cache:6379/0', 'http://user@host/', 'http://user:@host/',
    'mail jane@example.com', 'a@b //x:y@z', 'ftp://user:pa ss@host', 'x //u:p/q@h', 'x //u:p?q@h', 'x //u:p#q@h', '//u:p@@h', '@//u:p@',
    'http://inventory.svc:8080/v1/items', `//${'u'.repeat(300)}:p@h`, `//u:${'p'.repeat(1100)}@h`, '//a:b:c@d', 'x "//u:p"@h', '',
  ];
  let passed = 0;
  for (const line of lines) {
    assert.equal(rule.trigger!.test(line), forward.test(line), JSON.stringify(line));
    if (forward.test(line)) passed++;
  }
  assert.ok(passed >= 5);
});
