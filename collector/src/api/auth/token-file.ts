import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Clock, Timer } from '../../util/clock.ts';
import { ErrorCodes, FnscopeError } from '../../util/errors.ts';
import { bearerToken, MISSING_TOKEN, type AuthDecision, type Authenticator, type AuthRequest } from './authenticator.ts';

export interface TokenFileOptions {
  path: string;
  clock: Clock;
  logger: Logger;
  /** How often the file is checked for changes (default 5 s). */
  reloadIntervalMs?: number;
}

interface Entry {
  digest: Buffer;
  user: string;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Parses a token file: one token per line, optionally followed by `,name` (the name shown in logs);
 * blank lines and lines starting with `#` are ignored. Only SHA-256 digests of the tokens are kept.
 */
export function parseTokenFile(text: string): Entry[] {
  const out: Entry[] = [];
  let n = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    n++;
    const comma = line.indexOf(',');
    const token = (comma < 0 ? line : line.slice(0, comma)).trim();
    const name = comma < 0 ? '' : line.slice(comma + 1).trim();
    if (token === '') continue;
    out.push({ digest: sha256(token), user: name || `token-${n}` });
  }
  return out;
}

/**
 * Static bearer tokens read from a file (a mounted Secret, typically), re-read when it changes, so a
 * rotated Secret takes effect without a restart. Tokens are compared in constant time: the presented
 * token's SHA-256 against every known digest with timingSafeEqual, with no early exit.
 */
export class TokenFileAuthenticator implements Authenticator {
  readonly kind = 'token';
  readonly #o: TokenFileOptions;
  #entries: Entry[] = [];
  #fileDigest = '';
  #timer: Timer | undefined;
  #closed = false;

  private constructor(o: TokenFileOptions) {
    this.#o = o;
  }

  /** Reads the file (it must exist and hold at least one token) and starts watching it. */
  static async open(o: TokenFileOptions): Promise<TokenFileAuthenticator> {
    const a = new TokenFileAuthenticator(o);
    let text: string;
    try {
      text = await readFile(o.path, 'utf8');
    } catch (e) {
      throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `cannot read token file ${o.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const entries = parseTokenFile(text);
    if (entries.length === 0) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `token file ${o.path} holds no token (one token per line, "#" comments allowed)`);
    a.#apply(text, entries);
    a.#schedule();
    return a;
  }

  /** Number of tokens currently accepted. */
  get size(): number {
    return this.#entries.length;
  }

  check(req: AuthRequest): Promise<AuthDecision> {
    const token = bearerToken(req.authorization);
    if (token === undefined) return Promise.resolve(MISSING_TOKEN);
    const d = sha256(token);
    let user: string | undefined;
    for (const e of this.#entries) {
      if (timingSafeEqual(d, e.digest) && user === undefined) user = e.user;
    }
    return Promise.resolve(user === undefined ? { ok: false, status: 401, reason: 'invalid bearer token' } : { ok: true, user });
  }

  /**
   * Re-reads the file now. A missing or unreadable file keeps the tokens last read (a Secret update
   * swaps files); a readable file with no token accepts none (fail closed).
   */
  async reload(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#o.path, 'utf8');
    } catch (e) {
      this.#o.logger.warn({ file: this.#o.path, code: (e as NodeJS.ErrnoException).code }, 'token file unreadable; keeping the tokens last read');
      return;
    }
    const digest = sha256(text).toString('hex');
    if (digest === this.#fileDigest) return;
    const entries = parseTokenFile(text);
    this.#apply(text, entries);
    if (entries.length === 0) this.#o.logger.warn({ file: this.#o.path }, 'token file holds no token: every request is refused');
    else this.#o.logger.info({ file: this.#o.path, tokens: entries.length }, 'token file reloaded');
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
  }

  #apply(text: string, entries: Entry[]): void {
    this.#entries = entries;
    this.#fileDigest = sha256(text).toString('hex');
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      void this.reload().finally(() => this.#schedule());
    }, this.#o.reloadIntervalMs ?? 5_000);
  }
}
