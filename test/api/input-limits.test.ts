import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import express from 'express';
import { HTTP_LIMITS, inputLimits } from '../../collector/src/api/input-limits.ts';
import { listen } from '../../collector/src/api/server.ts';

const app = express();
app.use(inputLimits({ maxBodyBytes: 1024 }));
app.post('/echo', (req, res) => res.json({ status: 'success', data: req.body as unknown }));
app.get('/x', (_req, res) => res.json({ status: 'success', data: 'x' }));
const server = await listen(app, { host: '127.0.0.1', port: 0 });
after(() => server.close());

function send(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, chunked = false): Promise<{ status: number; body: { errorType?: string; error?: string; data?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = request(server.url + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as { errorType?: string } }));
    });
    req.on('error', reject);
    if (body !== undefined && chunked) {
      const b = Buffer.from(body);
      for (let i = 0; i < b.length; i += 256) req.write(b.subarray(i, i + 256));
    } else if (body !== undefined) req.write(body);
    req.end();
  });
}

test('defaults are named and sane', () => {
  assert.equal(HTTP_LIMITS.maxUrlBytes, 8192);
  assert.equal(HTTP_LIMITS.maxBodyBytes, 1 << 20);
});

test('bad input is refused with the JSON envelope', async () => {
  const big = JSON.stringify({ a: 'x'.repeat(2000) });
  const cases: Array<{ name: string; method: string; path: string; body?: string; headers?: Record<string, string>; chunked?: boolean; status: number; errorType?: string }> = [
    { name: 'URL at the limit', method: 'GET', path: '/x?q=' + 'a'.repeat(HTTP_LIMITS.maxUrlBytes - '/x?q='.length), status: 200 },
    { name: 'URL over the limit', method: 'GET', path: '/x?q=' + 'a'.repeat(HTTP_LIMITS.maxUrlBytes), status: 414, errorType: 'too_large' },
    { name: 'multibyte URL counted in bytes', method: 'GET', path: '/x?q=' + '%C3%A9'.repeat(1400), status: 414, errorType: 'too_large' },
    { name: 'declared body over the limit', method: 'POST', path: '/echo', body: big, headers: { 'content-type': 'application/json' }, status: 413, errorType: 'too_large' },
    { name: 'streamed JSON body over the limit', method: 'POST', path: '/echo', body: big, headers: { 'content-type': 'application/json' }, chunked: true, status: 413, errorType: 'too_large' },
    { name: 'streamed other body over the limit', method: 'POST', path: '/echo', body: 'x'.repeat(3000), headers: { 'content-type': 'text/plain' }, chunked: true, status: 413, errorType: 'too_large' },
    { name: 'malformed JSON', method: 'POST', path: '/echo', body: '{"a":', headers: { 'content-type': 'application/json' }, status: 400, errorType: 'bad_data' },
    { name: 'small JSON body', method: 'POST', path: '/echo', body: '{"a":1}', headers: { 'content-type': 'application/json' }, status: 200 },
  ];
  for (const c of cases) {
    const r = await send(c.method, c.path, c.body, c.headers, c.chunked);
    assert.equal(r.status, c.status, c.name);
    if (c.errorType) assert.equal(r.body.errorType, c.errorType, c.name);
  }
  assert.deepEqual((await send('POST', '/echo', '{"a":1}', { 'content-type': 'application/json' })).body.data, { a: 1 });
});

test('a request head over maxHeaderBytes is refused by the server (431)', async () => {
  const r = await send('GET', '/x', undefined, { 'x-big': 'a'.repeat(HTTP_LIMITS.maxHeaderBytes) }).catch((e: unknown) => e);
  const status = (r as { status?: number }).status;
  assert.equal(status, 431);
});
