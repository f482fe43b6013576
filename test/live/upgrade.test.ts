import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { admitTail, parseSince, rejectUpgrade } from '../../collector/src/live/upgrade.ts';

function refusal(status: number): { head: string; body: Record<string, string> } {
  const socket = new PassThrough();
  let out = '';
  socket.on('data', (d: Buffer) => (out += d.toString()));
  rejectUpgrade(socket, status, 'why');
  const [head, body] = out.split('\r\n\r\n');
  return { head: head!, body: JSON.parse(body!) as Record<string, string> };
}

for (const [status, line, errorType] of [
  [400, 'HTTP/1.1 400 Bad Request', 'bad_data'],
  [401, 'HTTP/1.1 401 Unauthorized', 'unauthorized'],
  [403, 'HTTP/1.1 403 Forbidden', 'forbidden'],
  [503, 'HTTP/1.1 503 Service Unavailable', 'unavailable'],
] as Array<[number, string, string]>) {
  test(`a refused upgrade answers ${status} with the error envelope`, () => {
    const r = refusal(status);
    assert.equal(r.head.split('\r\n')[0], line);
    assert.deepEqual(r.body, { status: 'error', errorType, error: 'why' });
  });
}

test('parseSince accepts s/m/h up to one hour', () => {
  assert.equal(parseSince('90s'), 90_000);
  assert.equal(parseSince(''), undefined);
  assert.throws(() => parseSince('2h'), /1h replay limit/);
  assert.throws(() => parseSince('soon'), /30s, 5m or 1h/);
});

test('admitTail checks authorization first, then the filter', async () => {
  const req = {} as IncomingMessage;
  assert.deepEqual(await admitTail(req, new URL('http://x/?function=('), () => Promise.resolve({ status: 503, message: 'down' })), { ok: false, status: 503, message: 'down' });
  const bad = await admitTail(req, new URL('http://x/?function=('), undefined);
  assert.equal(bad.ok, false);
  const good = await admitTail(req, new URL('http://x/?function=hello&since=1m'), () => Promise.resolve(null));
  assert.ok(good.ok && good.since === 60_000 && good.filter.spec.function === 'hello');
});
