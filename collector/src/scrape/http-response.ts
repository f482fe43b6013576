/**
 * An HTTP/1.x response read from a byte stream, fed chunk by chunk: status line and headers, then a
 * body delimited by Content-Length, chunked transfer coding, or the end of the connection. 1xx
 * responses are skipped. Only what a scrape needs: no trailers kept, header values joined with ", ".
 */
import { ScrapeLimitError } from './limits.ts';

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE = 1024;

export class HttpProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpProtocolError';
  }
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'close' | 'done';

export class HttpResponseReader {
  status = 0;
  reason = '';
  /** Lower-case header names; repeated headers joined with ", ". */
  readonly headers = new Map<string, string>();
  /** Whether the connection may carry another request after this response. */
  keepAlive = false;
  /** Bytes received before the response was complete (0: the connection said nothing at all). */
  received = 0;
  readonly #maxBody: number;
  #state: State = 'head';
  #head: Buffer | undefined;
  #remaining = 0;
  #line = '';
  readonly #body: Buffer[] = [];
  #bodyBytes = 0;

  /** maxBody: most body bytes accepted as sent (before any content decoding); 0: no limit. */
  constructor(maxBody: number) {
    this.#maxBody = maxBody;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** The body as received (still content-encoded). */
  body(): Buffer {
    return this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body, this.#bodyBytes);
  }

  /** Take in bytes from the connection. Throws HttpProtocolError or ScrapeLimitError. */
  feed(chunk: Buffer): void {
    this.received += chunk.length;
    let at = 0;
    while (at < chunk.length && this.#state !== 'done') {
      switch (this.#state) {
        case 'head':
          at = this.#readHead(chunk, at);
          break;
        case 'length': {
          const n = Math.min(this.#remaining, chunk.length - at);
          this.#take(chunk, at, n);
          at += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = 'done';
          break;
        }
        case 'close':
          this.#take(chunk, at, chunk.length - at);
          at = chunk.length;
          break;
        case 'chunk-data': {
          const n = Math.min(this.#remaining, chunk.length - at);
          this.#take(chunk, at, n);
          at += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = 'chunk-crlf';
          break;
        }
        case 'chunk-size':
        case 'chunk-crlf':
        case 'trailer':
          at = this.#readLine(chunk, at);
          break;
      }
    }
    if (at < chunk.length) throw new HttpProtocolError('data after the end of the response');
  }

  /** The connection ended: completes a body delimited by the close, anything else was cut short. */
  end(): void {
    if (this.#state === 'close') this.#state = 'done';
    if (this.#state !== 'done') throw new HttpProtocolError(this.received === 0 ? 'connection closed before any response' : 'connection closed before the response ended');
  }

  #take(chunk: Buffer, at: number, n: number): void {
    if (n === 0) return;
    this.#bodyBytes += n;
    if (this.#maxBody > 0 && this.#bodyBytes > this.#maxBody) throw new ScrapeLimitError('bodyBytes', `body exceeds the limit of ${this.#maxBody} bytes`);
    this.#body.push(at === 0 && n === chunk.length ? chunk : chunk.subarray(at, at + n));
  }

  #readHead(chunk: Buffer, at: number): number {
    const prev = this.#head?.length ?? 0;
    const buf = this.#head ? Buffer.concat([this.#head, chunk.subarray(at)]) : chunk.subarray(at);
    // The blank line may straddle the previous chunk and this one.
    const end = buf.indexOf(CRLF_CRLF, Math.max(0, prev - 3));
    if (end === -1) {
      if (buf.length > MAX_HEAD_BYTES) throw new HttpProtocolError(`response head longer than ${MAX_HEAD_BYTES} bytes`);
      this.#head = Buffer.from(buf);
      return chunk.length;
    }
    this.#head = undefined;
    this.#parseHead(buf.toString('latin1', 0, end));
    return at + (end + 4 - prev);
  }

  #parseHead(head: string): void {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!m) throw new HttpProtocolError(`invalid status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
    this.status = Number(m[2]);
    this.reason = m[3] ?? '';
    this.headers.clear();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpProtocolError(`invalid header line ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const had = this.headers.get(name);
      this.headers.set(name, had === undefined ? value : `${had}, ${value}`);
    }
    if (this.status >= 100 && this.status < 200) {
      // 100 Continue and friends: the real response follows.
      this.#state = 'head';
      return;
    }
    const connection = (this.headers.get('connection') ?? '').toLowerCase();
    this.keepAlive = m[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    const te = this.headers.get('transfer-encoding');
    const cl = this.headers.get('content-length');
    if (this.status === 204 || this.status === 304) {
      this.#state = 'done';
    } else if (te !== undefined && te.toLowerCase().split(',').some((t) => t.trim() === 'chunked')) {
      this.#state = 'chunk-size';
    } else if (cl !== undefined) {
      if (!/^\d+$/.test(cl)) throw new HttpProtocolError(`invalid Content-Length ${JSON.stringify(cl.slice(0, 40))}`);
      this.#remaining = Number(cl);
      if (this.#maxBody > 0 && this.#remaining > this.#maxBody && this.headers.get('content-encoding') === undefined) {
        throw new ScrapeLimitError('bodyBytes', `body of ${this.#remaining} bytes exceeds the limit of ${this.#maxBody}`);
      }
      this.#state = this.#remaining === 0 ? 'done' : 'length';
    } else {
      this.#state = 'close';
      this.keepAlive = false;
    }
  }

  /** A CRLF-terminated line of the chunked coding (size line, the CRLF after data, trailers). */
  #readLine(chunk: Buffer, at: number): number {
    const lf = chunk.indexOf(10, at);
    const end = lf === -1 ? chunk.length : lf;
    this.#line += chunk.toString('latin1', at, end);
    if (this.#line.length > MAX_CHUNK_LINE) throw new HttpProtocolError('chunk line too long');
    if (lf === -1) return chunk.length;
    const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
    this.#line = '';
    if (this.#state === 'chunk-crlf') {
      if (line !== '') throw new HttpProtocolError('missing CRLF after chunk data');
      this.#state = 'chunk-size';
    } else if (this.#state === 'trailer') {
      if (line === '') this.#state = 'done';
    } else {
      const hex = line.split(';')[0]!.trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new HttpProtocolError(`invalid chunk size ${JSON.stringify(hex.slice(0, 20))}`);
      this.#remaining = parseInt(hex, 16);
      this.#state = this.#remaining === 0 ? 'trailer' : 'chunk-data';
    }
    return lf + 1;
  }
}
