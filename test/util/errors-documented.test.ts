import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ErrorCodes } from '../../collector/src/util/errors.ts';

test('every error code is documented in docs/errors.md', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  for (const code of Object.values(ErrorCodes)) {
    assert.match(doc, new RegExp('`' + code + '`'), `${code} missing from docs/errors.md`);
  }
});
