import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpProtocolError, HttpResponseReader } from '../../collector/src/scrape/http-response.ts';
import { ScrapeLimitError } from '../../collector/src/scrape/limits.ts';

/** Feed `raw` in pieces of `step` bytes (every split point gets exercised across the table). */
function read(raw: string, step: number, maxBody = 0): HttpResponseReader {
  const r = new HttpResponseReader(maxBody);
  const buf = Buffer.from(raw, 'latin1');
  for (let at = 0; at < buf.length && !r.done; at += step) r.feed(buf.subarray(at, Math.min(buf.length, at + step)));
  return r;
}

const BODY = 'function_calls_total{method="GET"} 3.0\nfunction_calls_total{method="POST"} 5.0\n';
const cases: Array<{ name: string; raw: string; status: number; body: string; keepAlive: boolean; needsEnd?: boolean }> = [
  {
    name: 'content-length',
    raw: `HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
    status: 200,
    body: BODY,
    keepAlive: true,
  },
  {
    name: 'chunked with extensions and a trailer',
    raw: `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10;x=y\r\n${BODY.slice(0, 16)}\r\n${(BODY.length - 16).toString(16)}\r\n${BODY.slice(16)}\r\n0\r\nX-Trailer: 1\r\n\r\n`,
    status: 200,
    body: BODY,
    keepAlive: true,
  },
  {
    name: 'HTTP/1.0 without length: body until the connection ends',
    raw: `HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n${BODY}`,
    status: 200,
    body: BODY,
    keepAlive: false,
    needsEnd: true,
  },
  {
    name: 'Connection: close',
    raw: `HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok`,
    status: 200,
    body: 'ok',
    keepAlive: false,
  },
  {
    name: '100 Continue before the response',
    raw: `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnope`.slice(0, -1),
    status: 404,
    body: 'nop',
    keepAlive: true,
  },
  {
    name: '204 has no body',
    raw: `HTTP/1.1 204 No Content\r\n\r\n`,
    status: 204,
    body: '',
    keepAlive: true,
  },
];

for (const c of cases) {
  for (const step of [1, 2, 3, 7, 64, 100_000]) {
    test(`response reader: ${c.name} (fed ${step} bytes at a time)`, () => {
      const r = read(c.raw, step);
      if (c.needsEnd) {
        assert.equal(r.done, false, 'a close-delimited body needs the end of the connection');
        r.end();
      }
      assert.equal(r.done, true);
      assert.equal(r.status, c.status);
      assert.equal(r.body().toString('latin1'), c.body);
      assert.equal(r.keepAlive, c.keepAlive);
    });
  }
}

test('response reader: repeated headers are joined and names are lower-cased', () => {
  const r = read('HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n', 5);
  assert.equal(r.headers.get('x-a'), '1, 2');
});

const broken: Array<[string, string, new (...a: never[]) => Error]> = [
  ['garbage status line', 'HTTP/2 200 OK\r\n\r\n', HttpProtocolError],
  ['header without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', HttpProtocolError],
  ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', HttpProtocolError],
  ['bad content-length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n', HttpProtocolError],
  ['declared body over the limit', 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', ScrapeLimitError],
  ['chunked body over the limit', `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n${'x'.repeat(64)}\r\n0\r\n\r\n`, ScrapeLimitError],
  ['data after the response', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy', HttpProtocolError],
];
for (const [name, raw, type] of broken) {
  test(`response reader rejects ${name}`, () => {
    assert.throws(() => {
      const r = new HttpResponseReader(10);
      r.feed(Buffer.from(raw, 'latin1'));
    }, type);
  });
}

test('response reader: a connection that ends early is an error, and says whether anything came', () => {
  const none = new HttpResponseReader(0);
  assert.throws(() => none.end(), /before any response/);
  const some = new HttpResponseReader(0);
  some.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
  assert.throws(() => some.end(), /before the response ended/);
});
