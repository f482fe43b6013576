/**
 * deploy/Dockerfile is not built here (no container engine); these checks keep it honest: multi-stage,
 * a slim Node.js 24 runtime, a numeric non-root user, the collector's real entry point, and sources
 * that exist and pass the build-context filter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const lines = readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const ignore = readFileSync(join(root, 'deploy', 'Dockerfile.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

test('multi-stage, with a slim Node.js 24 runtime image', () => {
  const froms = lines.filter((l) => l.startsWith('FROM '));
  assert.ok(froms.length >= 2);
  for (const f of froms) assert.match(f, /^FROM node:24-[a-z]+-slim\b/);
  const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  assert.equal(pinned.devDependencies['node']?.split('.')[0], '24', 'the image runs the Node.js major the project pins');
});

test('the runtime stage runs the collector as a numeric non-root user', () => {
  const lastFrom = lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  const final = lines.slice(lastFrom);
  const user = final.filter((l) => l.startsWith('USER ')).at(-1);
  assert.ok(user, 'USER is set in the runtime stage');
  const m = /^USER (\d+)(?::(\d+))?$/.exec(user);
  assert.ok(m && Number(m[1]) > 0, `numeric non-root: ${user}`);
  assert.ok(final.indexOf(user) > final.findIndex((l) => l.startsWith('COPY ')), 'USER after the files are copied');
  const entry = final.find((l) => l.startsWith('ENTRYPOINT '))!;
  assert.deepEqual(JSON.parse(entry.slice('ENTRYPOINT '.length)), ['node', 'collector/src/cli/main.ts']);
  assert.ok(existsSync(join(root, 'collector', 'src', 'cli', 'main.ts')));
  assert.deepEqual(JSON.parse(final.find((l) => l.startsWith('CMD '))!.slice(4)), ['serve']);
});

test('everything copied from the context exists and is let through by the ignore file', () => {
  for (const l of lines.filter((x) => x.startsWith('COPY ') && !x.includes('--from='))) {
    const parts = l.split(/\s+/).slice(1, -1);
    for (const p of parts) {
      assert.ok(existsSync(join(root, p)), `${p} exists`);
      assert.ok(ignore.some((rule) => rule.startsWith('!') && (`${p}/`.startsWith(rule.slice(1).replace(/\/?$/, '/')))), `${p} passes deploy/Dockerfile.dockerignore`);
    }
  }
  assert.equal(ignore[0], '*', 'the context is an allow-list');
});

test('production dependencies only, from the lock file, without install scripts', () => {
  const install = lines.find((l) => l.startsWith('RUN npm '))!;
  assert.match(install, /npm ci\b/);
  assert.match(install, /--omit=dev/);
  assert.match(install, /--ignore-scripts/);
});
