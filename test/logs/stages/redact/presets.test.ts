import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultPresetNames,
  describeRedactionPresets,
  hasNestedQuantifier,
  presetNames,
  RedactStage,
  REDACTION_PRESETS,
  resolveRedactionRules,
} from '../../../../collector/src/logs/stages/redact/index.ts';

// Secrets below are made up for the tests (AWS's documented example keys, the RFC 7519 sample token's shape).
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** [preset, input, expected output] with only that preset on. */
const redacts: [string, string, string][] = [
  ['bearer', 'calling api with Bearer abcdef0123456789', 'calling api with Bearer [REDACTED:bearer]'],
  ['bearer', 'token_type=bearer  x9Y8z7W6v5', 'token_type=bearer  [REDACTED:bearer]'],
  ['authorization', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [REDACTED:authorization]'],
  ['authorization', '{"authorization":"Token abc123def"}', '{"authorization":"Token [REDACTED:authorization]"}'],
  ['authorization', 'proxy-authorization=Negotiate YIIBhgYGKwY', 'proxy-authorization=Negotiate [REDACTED:authorization]'],
  ['authorization', `headers {'Authorization': 'sk_live_51Habc'}`, `headers {'Authorization': '[REDACTED:authorization]'}`],
  ['aws-access-key', `using key ${AWS_ID} for s3`, 'using key [REDACTED:aws-access-key] for s3'],
  ['aws-access-key', 'temporary ASIAY34FZKBOKMUTVV7A ok', 'temporary [REDACTED:aws-access-key] ok'],
  ['aws-secret-key', `aws_secret_access_key=${AWS_SECRET}`, 'aws_secret_access_key=[REDACTED:aws-secret-key]'],
  ['aws-secret-key', `{"SecretAccessKey": "${AWS_SECRET}"}`, '{"SecretAccessKey": "[REDACTED:aws-secret-key]"}'],
  ['aws-secret-key', `AWS_SECRET_ACCESS_KEY: ${AWS_SECRET}`, 'AWS_SECRET_ACCESS_KEY: [REDACTED:aws-secret-key]'],
  ['jwt', `session ${JWT} ok`, 'session [REDACTED:jwt] ok'],
  ['jwt', `id_token="${JWT}"`, 'id_token="[REDACTED:jwt]"'],
  ['private-key', 'key={"pem":"-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----"}', 'key={"pem":"[REDACTED:private-key]"}'],
  ['private-key', '-----BEGIN OPENSSH PRIVATE KEY----- b3Blbn -----END OPENSSH PRIVATE KEY----- done', '[REDACTED:private-key] done'],
  ['url-password', 'connecting to postgres://app:s3cr3t@db:5432/orders', 'connecting to postgres://app:[REDACTED:url-password]@db:5432/orders'],
  ['url-password', 'redis://:p%40ss@cache:6379/0 and amqp://u:v@mq/', 'redis://:[REDACTED:url-password]@cache:6379/0 and amqp://u:[REDACTED:url-password]@mq/'],
  ['password', 'GET /login?user=bob&password=hunter2&next=/ HTTP/1.1', 'GET /login?user=bob&password=[REDACTED:password]&next=/ HTTP/1.1'],
  ['password', '{"user":"bob","password":"correct horse battery"}', '{"user":"bob","password":"[REDACTED:password]"}'],
  ['password', "{'passwd': 'x1'}", "{'passwd': '[REDACTED:password]'}"],
  ['password', 'DB_PASSWORD=hunter2 PGPWD=x', 'DB_PASSWORD=[REDACTED:password] PGPWD=[REDACTED:password]'],
  ['password', 'passphrase: open sesame', 'passphrase: [REDACTED:password] sesame'],
  ['secret-param', '"GET /cb?code=1&access_token=ya29.a0Af&x=1 HTTP/1.1" 200', '"GET /cb?code=1&access_token=[REDACTED:secret-param]&x=1 HTTP/1.1" 200'],
  ['secret-param', '{"api_key": "k-123456", "client_secret": "cs-9"}', '{"api_key": "[REDACTED:secret-param]", "client_secret": "[REDACTED:secret-param]"}'],
  ['secret-param', 'X-Api-Key=abcd1234 csrf_token=zz', 'X-Api-Key=[REDACTED:secret-param] csrf_token=[REDACTED:secret-param]'],
  ['credit-card', 'charged 4111 1111 1111 1111 ok', 'charged [REDACTED:credit-card] ok'],
  ['credit-card', 'card=5555-5555-5555-4444;', 'card=[REDACTED:credit-card];'],
  ['credit-card', 'amex 378282246310005', 'amex [REDACTED:credit-card]'],
  ['credit-card', 'paid 25 4012888888881881 today', 'paid 25 [REDACTED:credit-card] today'],
  ['credit-card', '{"pan":"6011111111111117"}', '{"pan":"[REDACTED:credit-card]"}'],
  ['email', 'mail sent to jane.doe+tag@example.co.uk.', 'mail sent to [REDACTED:email].'],
  ['ipv4', 'client 10.1.2.3 via 192.168.0.1:80', 'client [REDACTED:ipv4] via [REDACTED:ipv4]:80'],
];

/** [preset, input]: lines that preset must leave alone. */
const keeps: [string, string][] = [
  ['bearer', 'the bearer of this letter'],
  ['bearer', 'Bearer short'],
  ['authorization', 'authorization failed for user'],
  ['aws-access-key', 'AKIAIOSFODNN7EXAMPL is one short'],
  ['aws-access-key', 'XAKIAIOSFODNN7EXAMPLE'],
  ['aws-secret-key', `the secret is out, ${AWS_SECRET}`],
  ['aws-secret-key', 'aws_secret_access_key=tooshort'],
  ['jwt', 'eyJhbGciOiJIUzI1NiJ9 alone is a header'],
  ['private-key', '-----BEGIN PUBLIC KEY----- MIIB -----END PUBLIC KEY-----'],
  ['private-key', '-----BEGIN CERTIFICATE-----'],
  ['url-password', 'see https://example.com:8443/path@v2 and https://user@host/'],
  ['password', 'password reset email sent'],
  ['password', 'forgot your password? click here'],
  ['secret-param', 'max_tokens=100 tokens: 5 token_count=3'],
  ['credit-card', '4111 1111 1111 1112'],
  ['credit-card', 'trace 4111111111111111111111 id'],
  ['credit-card', 'order 12345678901234 shipped'],
  ['credit-card', 'ts=1795318218123 epoch ms'],
  ['credit-card', 'phone +1 415 555 0100, date 2026-11-22 01:30:18'],
  ['credit-card', 'id abc4111111111111111'],
  ['email', 'user@localhost and @mentions'],
  ['ipv4', 'version 1.2.3 and 999.1.1.1'],
];

function only(name: string): RedactStage {
  return new RedactStage({ rules: resolveRedactionRules({ presets: ['none', name] }) });
}

test('each preset replaces what it names with [REDACTED:<name>], and counts it', () => {
  for (const [name, input, want] of redacts) {
    const stage = only(name);
    assert.equal(stage.redact(input), want, `${name}: ${input}`);
    const n = want.split(`[REDACTED:${name}]`).length - 1;
    assert.deepEqual(stage.counts(), { [name]: n }, `${name} count: ${input}`);
  }
});

test('each preset leaves ordinary text alone', () => {
  for (const [name, input] of keeps) {
    const stage = only(name);
    assert.equal(stage.redact(input), input, `${name}: ${input}`);
    assert.deepEqual(stage.counts(), {}, name);
  }
});

test('the default set: on by default except email and ipv4; every preset has cases here', () => {
  assert.deepEqual(defaultPresetNames(), presetNames().filter((n) => n !== 'email' && n !== 'ipv4'));
  for (const name of presetNames()) {
    assert.ok(redacts.some(([n]) => n === name), `a redaction case for ${name}`);
    assert.ok(keeps.some(([n]) => n === name), `a keep case for ${name}`);
  }
  assert.deepEqual(new RedactStage().ruleNames, defaultPresetNames());
  // with the defaults every default case is still redacted (rules do not undo each other)
  const stage = new RedactStage();
  for (const [name, input] of redacts) {
    if (!defaultPresetNames().includes(name)) {
      assert.equal(stage.redact(input).includes(`[REDACTED:${name}]`), false, name);
      continue;
    }
    assert.ok(stage.redact(input).includes(`[REDACTED:${name}]`), `${name} with the default set: ${stage.redact(input)}`);
  }
});

test('a redacted line holds none of the secrets', () => {
  const stage = new RedactStage({ rules: resolveRedactionRules({ presets: ['all'] }) });
  const line = `user=jane@example.com Authorization: Bearer ${JWT} key=${AWS_ID} aws_secret_access_key=${AWS_SECRET} card 4111-1111-1111-1111 from 10.0.0.7`;
  const out = stage.redact(line);
  for (const secret of [JWT, AWS_ID, AWS_SECRET, '4111-1111-1111-1111', 'jane@example.com', '10.0.0.7']) {
    assert.equal(out.includes(secret), false, `${secret} in ${out}`);
  }
});

test('--help text lists every preset with its default', () => {
  const help = describeRedactionPresets();
  for (const p of REDACTION_PRESETS) {
    const row = help.split('\n').find((l) => l.trim().startsWith(`${p.rule.name} `));
    assert.ok(row, p.rule.name);
    assert.ok(row.includes(p.defaultOn ? 'default' : 'off'), row);
    assert.ok(row.includes(p.rule.description), row);
  }
});

test('preset patterns are of the safe shape custom rules must have; triggers are stateless', () => {
  for (const { rule } of REDACTION_PRESETS) {
    if (rule.pattern !== undefined) {
      assert.equal(hasNestedQuantifier(rule.pattern.source), false, rule.name);
      assert.ok(rule.pattern.global, rule.name);
    }
    if (rule.trigger !== null) assert.ok(!rule.trigger.global && !rule.trigger.sticky, rule.name);
  }
  // the check itself finds what it looks for
  assert.equal(hasNestedQuantifier('(?:\\.[a-z]{1,63}){0,8}'), true);
});
