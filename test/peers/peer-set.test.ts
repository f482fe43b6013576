import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { normalizePeerUrl, parsePeersDns, PeerSet, type PeerResolver } from '../../collector/src/peers/index.ts';

const flush = () => new Promise((r) => setImmediate(r));

test('static peers: ourselves (same port on one of our addresses) is left out', async () => {
  const cases: Array<{ self: string; peers: string[]; local: string[]; want: string[] }> = [
    { self: 'http://127.0.0.1:9001', peers: ['http://127.0.0.1:9001', 'http://127.0.0.1:9002', '127.0.0.1:9003'], local: [], want: ['http://127.0.0.1:9002', 'http://127.0.0.1:9003'] },
    { self: 'http://127.0.0.1:9001', peers: ['http://localhost:9001', 'http://10.0.0.5:9001'], local: [], want: ['http://10.0.0.5:9001'] },
    { self: 'http://0.0.0.0:9464', peers: ['http://10.1.0.7:9464', 'http://10.1.0.8:9464', 'http://10.1.0.7:9465'], local: ['10.1.0.7', '127.0.0.1'], want: ['http://10.1.0.8:9464', 'http://10.1.0.7:9465'] },
    { self: 'https://[::]:9464', peers: ['https://[fd00::7]:9464', 'https://[fd00::8]:9464'], local: ['fd00::7'], want: ['https://[fd00::8]:9464'] },
  ];
  for (const c of cases) {
    const s = new PeerSet({ urls: c.peers, clock: new ManualClock(), logger: silentLogger(), localAddresses: () => c.local });
    await s.start(c.self);
    assert.deepEqual(s.peers(), c.want, JSON.stringify(c));
    assert.equal(s.problem(), undefined);
    s.stop();
  }
});

test('DNS peers: looked up at start and every refresh; a failed lookup keeps the last list and is reported', async () => {
  const clock = new ManualClock();
  let answer: string[] | Error = ['10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.1'];
  const asked: string[] = [];
  const resolve: PeerResolver = (host) => {
    asked.push(host);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  const s = new PeerSet({ dns: { host: 'fnscope-peers.fnscope.svc' }, clock, logger: silentLogger(), resolve, refreshMs: 30_000, localAddresses: () => ['10.0.0.2'] });
  await s.start('http://0.0.0.0:9464');
  assert.deepEqual(s.peers(), ['http://10.0.0.1:9464', 'http://10.0.0.3:9464'], 'sorted, unique, ourselves left out, our port');
  answer = Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' });
  clock.advance(30_000);
  await flush();
  assert.deepEqual(s.peers(), ['http://10.0.0.1:9464', 'http://10.0.0.3:9464'], 'the last good list stays');
  assert.match(s.problem() ?? '', /fnscope-peers\.fnscope\.svc failed \(ENOTFOUND\)/);
  answer = ['10.0.0.1', '10.0.0.2', '10.0.0.4'];
  clock.advance(30_000);
  await flush();
  assert.deepEqual(s.peers(), ['http://10.0.0.1:9464', 'http://10.0.0.4:9464']);
  assert.equal(s.problem(), undefined);
  assert.equal(asked.length, 3);
  s.stop();
  clock.advance(120_000);
  await flush();
  assert.equal(asked.length, 3, 'no lookups after stop');
});

test('DNS peers take the port of --peers-dns, and https when we serve https', async () => {
  const s = new PeerSet({ dns: { host: 'peers', port: 8443 }, clock: new ManualClock(), logger: silentLogger(), resolve: () => Promise.resolve(['fd00::1', '10.0.0.9']), localAddresses: () => [] });
  await s.start('https://0.0.0.0:9464');
  assert.deepEqual(s.peers(), ['https://10.0.0.9:8443', 'https://[fd00::1]:8443']);
  s.stop();
});

test('peer flags are checked', () => {
  assert.deepEqual(parsePeersDns('fnscope-peers.fnscope.svc'), { host: 'fnscope-peers.fnscope.svc' });
  assert.deepEqual(parsePeersDns('peers:9464'), { host: 'peers', port: 9464 });
  for (const bad of ['', 'http://peers', 'peers:0', 'peers:99999', 'a b']) assert.throws(() => parsePeersDns(bad), /invalid/, bad);
  assert.equal(normalizePeerUrl('http://10.0.0.1:9464/'), 'http://10.0.0.1:9464');
  assert.equal(normalizePeerUrl('10.0.0.1:9464'), 'http://10.0.0.1:9464');
  for (const bad of ['ftp://x:1', 'http://x:1/api', 'http://u:p@x:1', 'http://x:1/?a=1']) assert.throws(() => normalizePeerUrl(bad), /invalid peer/, bad);
});
