import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriFileTailer } from '../../../../collector/src/logs/sources/cri-files/tailer.ts';
import { FilePositionStore, MemoryPositionStore, type PositionStore } from '../../../../collector/src/logs/sources/cri-files/positions.ts';
import type { RawLogSink } from '../../../../collector/src/logs/sources/types.ts';

const id = { namespace: 'default', function: 'hello', pod: 'hello-1', container: 'hello' };
const cri = (n: number, text: string, tag: 'P' | 'F' = 'F'): string => `2026-11-22T01:00:${String(n).padStart(2, '0')}.000000001Z stdout ${tag} ${text}\n`;

function setup(positions: PositionStore = new MemoryPositionStore()): { dir: string; root: string; lines: string[]; gaps: string[]; tailer: () => CriFileTailer } {
  const root = mkdtempSync(join(tmpdir(), 'fnscope-cri-'));
  const dir = join(root, 'default_hello-1_uid', 'hello');
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const gaps: string[] = [];
  const sink: RawLogSink = { lines: (_i, ls) => lines.push(...ls), gap: (_i, r) => gaps.push(r), end: () => undefined };
  return { dir, root, lines, gaps, tailer: () => new CriFileTailer({ dir, id, sink, positions, maxReadBytes: 64 }) };
}

async function drain(t: CriFileTailer): Promise<void> {
  for (let i = 0; i < 100 && (await t.poll()); i++);
}

const texts = (lines: string[]): string[] => lines.map((l) => l.split(' ').slice(3).join(' '));

test('reads complete lines only, in order, across small reads', async () => {
  const s = setup();
  const t = s.tailer();
  writeFileSync(join(s.dir, '0.log'), cri(1, 'one') + cri(2, 'two') + '2026-11-22T01:00:03Z stdout F thr');
  await drain(t);
  assert.deepEqual(texts(s.lines), ['one', 'two']);
  appendFileSync(join(s.dir, '0.log'), 'ee\n');
  await drain(t);
  assert.deepEqual(texts(s.lines), ['one', 'two', 'three']);
  await t.close();
  rmSync(s.root, { recursive: true });
});

test('rotation by rename: the old file is drained, then the new one read, nothing lost or repeated', async () => {
  const s = setup();
  const t = s.tailer();
  const p = join(s.dir, '0.log');
  writeFileSync(p, cri(1, 'a'));
  await drain(t);
  appendFileSync(p, cri(2, 'b')); // written just before rotation, not yet read
  renameSync(p, `${p}.20261122-010002`);
  writeFileSync(p, cri(3, 'c'));
  await drain(t);
  assert.deepEqual(texts(s.lines), ['a', 'b', 'c']);
  await t.close();
  rmSync(s.root, { recursive: true });
});

test('truncation (copy-truncate) restarts at the beginning with a gap marker', async () => {
  const s = setup();
  const t = s.tailer();
  const p = join(s.dir, '0.log');
  writeFileSync(p, cri(1, 'a') + cri(2, 'b'));
  await drain(t);
  truncateSync(p, 0);
  await drain(t);
  appendFileSync(p, cri(3, 'c'));
  await drain(t);
  assert.deepEqual(texts(s.lines), ['a', 'b', 'c']);
  assert.deepEqual(s.gaps, ['log file truncated; reading it from the start']);
  await t.close();
  rmSync(s.root, { recursive: true });
});

test('a container restart moves to the next <n>.log after draining the current one', async () => {
  const s = setup();
  const t = s.tailer();
  writeFileSync(join(s.dir, '0.log'), cri(1, 'first container'));
  await drain(t);
  appendFileSync(join(s.dir, '0.log'), cri(2, 'crash output'));
  writeFileSync(join(s.dir, '1.log'), cri(3, 'second container'));
  await drain(t);
  assert.deepEqual(texts(s.lines), ['first container', 'crash output', 'second container']);
  await t.close();
  rmSync(s.root, { recursive: true });
});

test('a collector restart resumes from the saved offset, even in a file rotated meanwhile', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fnscope-pos-'));
  const posFile = join(root, 'positions.json');
  const s = setup();
  const p = join(s.dir, '0.log');
  writeFileSync(p, cri(1, 'a') + cri(2, 'b'));
  const run = async (): Promise<string[]> => {
    const got: string[] = [];
    const positions = new FilePositionStore(posFile);
    const t = new CriFileTailer({ dir: s.dir, id, positions, sink: { lines: (_i, ls) => got.push(...ls), gap: () => undefined, end: () => undefined } });
    await drain(t);
    positions.save();
    await t.close();
    return got;
  };
  assert.deepEqual(texts(await run()), ['a', 'b']);
  // While the collector is down: more lines, then a rotation.
  appendFileSync(p, cri(3, 'c'));
  renameSync(p, `${p}.20261122-010003`);
  writeFileSync(p, cri(4, 'd'));
  assert.deepEqual(texts(await run()), ['c', 'd'], 'resumes after b, in the rotated file, then the new one');
  assert.deepEqual(texts(await run()), [], 'nothing is read twice');
  rmSync(root, { recursive: true });
  rmSync(s.root, { recursive: true });
});
