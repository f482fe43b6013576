/**
 * The named redaction presets, in the order they run. Every pattern is simple (bounded repetition, no
 * nested quantifiers), so a line's cost stays linear in its length.
 */
import { creditCardRule } from './card.ts';
import { keepKeyReplace, type RedactionRule, regexRule, REDACTED_PREFIX, marker, separatorAfter } from './rule.ts';

export interface RedactionPreset {
  rule: RedactionRule;
  /** Part of the default set. */
  defaultOn: boolean;
}

const QUOTED_OR_BARE = `("[^"\\n]{1,1024}"|'[^'\\n]{1,1024}'|[^\\s&"',;}]{1,1024})`;
const KEY_SEPARATOR = `["']?\\s{0,10}[:=]\\s{0,10}`;

const privateKeyBlock = regexRule({
  name: 'private-key',
  description: 'PEM private key blocks (-----BEGIN … PRIVATE KEY----- to -----END …), also across lines',
  trigger: /PRIVATE KEY/,
  pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,65536}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g,
});

const jwt = regexRule({
  name: 'jwt',
  description: 'JSON Web Tokens (eyJ….eyJ….signature)',
  trigger: /(?<=ey)J/,
  pattern: /\beyJ[A-Za-z0-9_-]{2,8192}\.eyJ[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{0,8192}/g,
});

const bearer = regexRule({
  name: 'bearer',
  description: 'bearer tokens ("Bearer <token>")',
  trigger: /[Bb]earer|BEARER/,
  pattern: /\b(Bearer|bearer|BEARER)(\s{1,10})([A-Za-z0-9._~+/-]{8,4096}=*)/g,
  replace: (match, g) => (g[2]?.startsWith(REDACTED_PREFIX) ? match : `${g[0]}${g[1]}${marker('bearer')}`),
});

const authorization = regexRule({
  name: 'authorization',
  description: 'Authorization / Proxy-Authorization header values (any scheme)',
  keys: 'authorization',
  trigger: separatorAfter('authorization'),
  pattern:
    /\b((?:proxy-)?authorization["']?\s{0,10}[:=]\s{0,10}["']?)((?:basic|bearer|digest|token|negotiate|ntlm|aws4-hmac-sha256)\s{1,10})?([^\s"',;]{3,4096})/gi,
  replace: (match, g) => (g[2]?.startsWith(REDACTED_PREFIX) ? match : `${g[0]}${g[1] ?? ''}${marker('authorization')}`),
});

const awsAccessKey = regexRule({
  name: 'aws-access-key',
  description: 'AWS access key ids (AKIA…, ASIA…)',
  trigger: /AKIA|ASIA|ABIA|ACCA/,
  pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
});

const awsSecretKey = regexRule({
  name: 'aws-secret-key',
  description: 'AWS secret access keys (40 characters after aws_secret_access_key, SecretAccessKey, …)',
  keys: 'secret_?(?:access)?_?key',
  trigger: separatorAfter('secret_?(?:access)?_?key'),
  pattern: /\b((?:aws)?_?secret_?(?:access)?_?key["']?\s{0,10}[:=]\s{0,10})("[A-Za-z0-9/+]{40}"|'[A-Za-z0-9/+]{40}'|[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+]))/gi,
  replace: keepKeyReplace('aws-secret-key'),
});

const urlPassword = regexRule({
  name: 'url-password',
  description: 'passwords in URLs (scheme://user:password@host)',
  // The pattern itself, read back from its '@' (rarer than the "//" of every URL): a line passes when
  // the pattern matches in it. The lines of bench/log-pipeline.ts, the stage's pre-filter with the
  // default rules: 92-101 → 79-81 ns per line (the pattern read forward from its "//" before).
  trigger: /@(?<=\/\/[^\s:@/?#"']{0,256}:[^\s@/?#"']{1,1024}@)/,
  pattern: /(\/\/[^\s:@/?#"']{0,256}:)([^\s@/?#"']{1,1024})@/g,
  replace: (match, g) => (g[1]?.startsWith(REDACTED_PREFIX) ? match : `${g[0]}${marker('url-password')}@`),
});

const password = regexRule({
  name: 'password',
  description: 'password=…, "password": "…", passwd, passphrase, pwd (query strings, JSON, key: value)',
  keys: 'password|passwd|passphrase|pwd',
  trigger: separatorAfter('password|passwd|passphrase|pwd'),
  pattern: new RegExp(`((?:password|passwd|passphrase|pwd)${KEY_SEPARATOR})${QUOTED_OR_BARE}`, 'gi'),
  replace: keepKeyReplace('password'),
});

const secretParam = regexRule({
  name: 'secret-param',
  description: 'token=, access_token=, api_key=, client_secret=, secret= and the like (query strings, JSON)',
  keys: 'api[_-]?key|secret[_-]?key|token|secret',
  trigger: separatorAfter('api[_-]?key|secret[_-]?key|token|secret'),
  pattern: new RegExp(
    `((?:api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|secret|token)${KEY_SEPARATOR})${QUOTED_OR_BARE}`,
    'gi',
  ),
  replace: keepKeyReplace('secret-param'),
});

const email = regexRule({
  name: 'email',
  description: 'email addresses',
  trigger: /@/,
  pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,24}\b/g,
});

const ipv4 = regexRule({
  name: 'ipv4',
  description: 'IPv4 addresses (client addresses in access lines included)',
  trigger: /\d\.\d/,
  pattern: /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b/g,
});

/** Every preset, in the order the rules run. */
export const REDACTION_PRESETS: readonly RedactionPreset[] = [
  { rule: privateKeyBlock, defaultOn: true },
  { rule: jwt, defaultOn: true },
  { rule: bearer, defaultOn: true },
  { rule: authorization, defaultOn: true },
  { rule: awsAccessKey, defaultOn: true },
  { rule: awsSecretKey, defaultOn: true },
  { rule: urlPassword, defaultOn: true },
  { rule: password, defaultOn: true },
  { rule: secretParam, defaultOn: true },
  { rule: creditCardRule, defaultOn: true },
  { rule: email, defaultOn: false },
  { rule: ipv4, defaultOn: false },
];

export function presetNames(): string[] {
  return REDACTION_PRESETS.map((p) => p.rule.name);
}

export function defaultPresetNames(): string[] {
  return REDACTION_PRESETS.filter((p) => p.defaultOn).map((p) => p.rule.name);
}

/** Lines for `--help`: each preset, whether it is on by default, and what it matches. */
export function describeRedactionPresets(): string {
  const width = Math.max(...REDACTION_PRESETS.map((p) => p.rule.name.length));
  return REDACTION_PRESETS.map(
    (p) => `  ${p.rule.name.padEnd(width)}  ${p.defaultOn ? 'default' : 'off    '}  ${p.rule.description}`,
  ).join('\n');
}
