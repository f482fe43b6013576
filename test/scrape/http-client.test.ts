import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ScrapeHttpClient } from '../../collector/src/scrape/http-client.ts';
import { ScrapeLimitError } from '../../collector/src/scrape/limits.ts';

const BODY = '# TYPE function_calls_total counter\nfunction_calls_total{method="GET"} 3.0\n';
const servers: Array<Server | NetServer> = [];
const clients: ScrapeHttpClient[] = [];

after(() => {
  for (const c of clients) c.close();
  for (const s of servers) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    s.close();
  }
});

function client(): ScrapeHttpClient {
  const c = new ScrapeHttpClient();
  clients.push(c);
  return c;
}

interface Served {
  url: string;
  connections: number;
  requests: IncomingMessage[];
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Served> {
  const served: Served = { url: '', connections: 0, requests: [] };
  const server = createServer((req, res) => {
    served.requests.push(req);
    handler(req, res, served.requests.length);
  });
  server.on('connection', () => served.connections++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  served.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return served;
}

/** A server that answers with raw bytes: for what node:http would not send. */
async function serveRaw(onData: (socket: Socket, request: string) => void): Promise<string> {
  const server = createNetServer((socket) => socket.on('data', (d) => onData(socket, d.toString('latin1'))));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a body with Content-Length, the scrape headers sent, the connection kept for the next scrape', async () => {
  const s = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(BODY));
  const c = client();
  for (let i = 0; i < 3; i++) {
    const got = await c.get(`${s.url}/metrics`, 5000, 0);
    assert.equal(got.text, BODY);
    assert.equal(got.contentType, 'text/plain; version=0.0.4');
    assert.equal(got.bytes, Buffer.byteLength(BODY));
  }
  assert.equal(s.connections, 1, 'one keep-alive connection for three scrapes');
  const h = s.requests[0]!.headers;
  assert.match(h.accept ?? '', /application\/openmetrics-text;version=1\.0\.0/);
  assert.equal(h['accept-encoding'], 'gzip');
  assert.equal(h['x-prometheus-scrape-timeout-seconds'], '5');
  assert.equal(h['user-agent'], 'fnscope');
  assert.equal(s.requests[0]!.url, '/metrics');
});

test('chunked and gzip bodies are decoded', async () => {
  const s = await serve((req, res) => {
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(BODY));
      return;
    }
    res.writeHead(200);
    res.write(BODY.slice(0, 10));
    setTimeout(() => res.end(BODY.slice(10)), 5);
  });
  const c = client();
  assert.equal((await c.get(`${s.url}/chunked`, 5000, 0)).text, BODY);
  assert.equal((await c.get(`${s.url}/gzip`, 5000, 0)).text, BODY);
});

test('redirects are followed, relative ones too, at most 10', async () => {
  const s = await serve((req, res) => {
    if (req.url === '/old') res.writeHead(302, { location: '/metrics' }).end();
    else if (req.url?.startsWith('/loop')) res.writeHead(301, { location: `/loop${Number(req.url.slice(5) || 0) + 1}` }).end();
    else res.writeHead(200).end(BODY);
  });
  const c = client();
  assert.equal((await c.get(`${s.url}/old`, 5000, 0)).text, BODY);
  await assert.rejects(c.get(`${s.url}/loop`, 5000, 0), /stopped after 10 redirects/);
});

test('a non-2xx answer is an error with its status', async () => {
  const s = await serve((_req, res) => res.writeHead(503, 'Service Unavailable').end('busy'));
  await assert.rejects(client().get(`${s.url}/metrics`, 5000, 0), /server returned HTTP status 503 Service Unavailable/);
});

test('a target that does not answer in time fails with a TimeoutError', async () => {
  const s = await serve(() => undefined); // never answers
  const err = await client().get(`${s.url}/metrics`, 200, 0).catch((e: Error) => e);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'TimeoutError');
});

test('bodies over the limit cost the scrape, declared or compressed', async () => {
  const big = 'x'.repeat(10_000);
  const s = await serve((req, res) => {
    if (req.url === '/gzip') res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(big));
    else if (req.url === '/chunked') {
      res.writeHead(200);
      res.end(big);
    } else res.writeHead(200, { 'content-length': big.length }).end(big);
  });
  const c = client();
  for (const path of ['/plain', '/gzip', '/chunked']) {
    await assert.rejects(c.get(`${s.url}${path}`, 5000, 1000), ScrapeLimitError, path);
  }
  assert.equal((await c.get(`${s.url}/gzip`, 5000, 20_000)).text, big, 'under the limit it passes');
});

test('a kept connection the target closed meanwhile is replaced without failing the scrape', async () => {
  const s = await serve((_req, res) => res.writeHead(200).end(BODY));
  const c = client();
  assert.equal((await c.get(`${s.url}/metrics`, 5000, 0)).text, BODY);
  // The target drops idle connections; the client finds out only when it writes.
  const server = servers[servers.length - 1] as Server;
  server.closeIdleConnections();
  assert.equal((await c.get(`${s.url}/metrics`, 5000, 0)).text, BODY);
  assert.equal(s.connections, 2);
});

test('a kept connection that dies on the next request without a byte is retried once on a new one', async () => {
  let connections = 0;
  const url = await serveRaw((socket, request) => {
    const n = ((socket as Socket & { n?: number }).n = ((socket as Socket & { n?: number }).n ?? 0) + 1);
    if (n === 1) connections++;
    assert.match(request, /^GET \/metrics HTTP\/1\.1\r\n/);
    if (n === 2) socket.destroy(); // the race Go's transport also retries: reused, then reset before answering
    else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`);
  });
  const c = client();
  assert.equal((await c.get(`${url}/metrics`, 5000, 0)).text, BODY);
  assert.equal((await c.get(`${url}/metrics`, 5000, 0)).text, BODY);
  assert.equal(connections, 2);
});

test('a body delimited by the end of the connection (HTTP/1.0) is read to the end', async () => {
  const url = await serveRaw((socket) => socket.end(`HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n${BODY}`));
  assert.equal((await client().get(`${url}/metrics`, 5000, 0)).text, BODY);
});

test('a connection closed in the middle of a response fails the scrape', async () => {
  const url = await serveRaw((socket) => socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nshort`));
  await assert.rejects(client().get(`${url}/metrics`, 5000, 0), /closed before the response ended/);
});

test('a refused connection fails with the reason', async () => {
  const url = await serveRaw(() => undefined);
  const port = new URL(url).port;
  const last = servers.pop() as NetServer;
  await new Promise((r) => last.close(r));
  await assert.rejects(client().get(`http://127.0.0.1:${port}/metrics`, 5000, 0), /ECONNREFUSED/);
});

test('close() drops every connection', async () => {
  const s = await serve((_req, res) => res.writeHead(200).end(BODY));
  const c = client();
  await c.get(`${s.url}/metrics`, 5000, 0);
  assert.equal(c.connections, 1);
  c.close();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(c.connections, 0);
});
