/**
 * Shard ownership by pod UID. The hash is checked against Prometheus itself: a file_sd target per UID,
 * relabelled with `action: hashmod`, must land in the shard fnscope computes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashmod, shardOwner, shardSpecProblem } from '../../collector/src/shard/index.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

test('hashmod agrees with Prometheus\u2019s hashmod relabelling for every UID and modulus', { timeout: 60_000 }, async (t) => {
  const uids = Array.from({ length: 60 }, () => randomUUID());
  const moduli = [2, 3, 5, 7];
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-hashmod-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'targets.json'), JSON.stringify(uids.map((uid, i) => ({ targets: [`127.0.0.1:${10_000 + i}`], labels: { uid } }))));
  const relabel = moduli.map((m) => `      - {source_labels: [uid], modulus: ${m}, target_label: shard${m}, action: hashmod}`).join('\n');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1h\nscrape_configs:\n  - job_name: shards\n    file_sd_configs:\n      - files: ['${join(dir, 'targets.json')}']\n    relabel_configs:\n${relabel}\n`,
  );
  const port = await freePort();
  const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  prom.stderr.on('data', (d: Buffer) => (log += d.toString()));
  t.after(() => {
    prom.kill('SIGKILL');
  });
  const deadline = Date.now() + 30_000;
  let active: Array<{ labels: Record<string, string> }> = [];
  for (;;) {
    try {
      const r = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: typeof active } };
      active = r.data.activeTargets;
      if (active.length === uids.length) break;
    } catch {
      // not up yet
    }
    if (prom.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    if (Date.now() > deadline) throw new Error(`prometheus did not list the targets: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const target of active) {
    for (const m of moduli) {
      const uid = target.labels['uid']!;
      assert.equal(String(hashmod(uid, m)), target.labels[`shard${m}`], `uid ${uid} modulo ${m}`);
    }
  }
});

test('hashmod is md5\u2019s last 8 bytes, big-endian, modulo the count', () => {
  for (const uid of ['', 'a', 'ab5b4a22-5a39-4a4e-8f0b-7d0b0f6a1c01', '\u00fcn\u00efc\u00f8d\u00e9']) {
    const want = createHash('md5').update(uid, 'utf8').digest().subarray(8).readBigUInt64BE() % 1000n;
    assert.equal(hashmod(uid, 1000), Number(want), uid);
  }
});

test('every UID is owned by exactly one replica, for every count', () => {
  const uids = Array.from({ length: 3000 }, (_, i) => createHash('sha1').update(String(i)).digest('hex'));
  for (const count of [1, 2, 3, 4, 7]) {
    const owners = Array.from({ length: count }, (_, index) => shardOwner({ index, count }));
    const perShard = new Array<number>(count).fill(0);
    for (const uid of uids) {
      const which = owners.map((own, i) => (own(uid) ? i : -1)).filter((i) => i >= 0);
      assert.equal(which.length, 1, `uid ${uid} over ${count}`);
      perShard[which[0]!]!++;
    }
    // A uniform hash: no shard gets far from its share.
    for (const n of perShard) assert.ok(Math.abs(n - uids.length / count) < (uids.length / count) * 0.15, `shares over ${count}: ${perShard.join(', ')}`);
  }
});

test('shard specs are checked', () => {
  const cases: Array<[number, number, RegExp | undefined]> = [
    [0, 1, undefined],
    [2, 3, undefined],
    [3, 3, /from 0 to 2/],
    [-1, 3, /from 0 to 2/],
    [0, 0, /positive integer/],
    [1.5, 3, /integer/],
  ];
  for (const [index, count, want] of cases) {
    const p = shardSpecProblem({ index, count });
    if (want === undefined) assert.equal(p, undefined, `${index}/${count}`);
    else assert.match(p ?? '', want, `${index}/${count}`);
    if (want) assert.throws(() => shardOwner({ index, count }), RangeError);
  }
  assert.throws(() => hashmod('x', 0), RangeError);
});
