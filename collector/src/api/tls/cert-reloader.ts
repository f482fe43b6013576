import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { Clock, Timer } from '../../util/clock.ts';
import { ErrorCodes, FnscopeError } from '../../util/errors.ts';

/** A certificate chain and its private key, PEM. */
export interface KeyPair {
  cert: Buffer;
  key: Buffer;
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Reads both files and checks that they make a usable pair (createSecureContext throws otherwise). */
export async function readKeyPair(files: TlsFiles): Promise<KeyPair> {
  const [cert, key] = await Promise.all([readFile(files.certFile), readFile(files.keyFile)]);
  createSecureContext({ cert, key });
  return { cert, key };
}

export interface CertReloaderOptions extends TlsFiles {
  clock: Clock;
  logger: Logger;
  /** How often the files are checked (default 10 s). */
  intervalMs?: number;
  /** Called with each new valid pair (e.g. `server.setSecureContext`). */
  apply: (pair: KeyPair) => void;
}

function digestOf(p: KeyPair): string {
  return createHash('sha256').update(p.cert).update('\0').update(p.key).digest('hex');
}

/**
 * Re-reads a certificate/key pair periodically and hands each new valid pair to `apply`, so a rotated
 * Secret (cert-manager, a CSI driver) is served without a restart. A pair that does not load (the
 * certificate written and the key not yet) is skipped and tried again on the next tick; the pair in
 * use stays. Key material is never logged.
 */
export class CertReloader {
  readonly #o: CertReloaderOptions;
  #digest: string;
  #timer: Timer | undefined;
  #stopped = false;

  constructor(o: CertReloaderOptions, initial: KeyPair) {
    this.#o = o;
    this.#digest = digestOf(initial);
  }

  /** Load the pair now (a config error if it cannot be), for the server to start with. */
  static async initial(files: TlsFiles): Promise<KeyPair> {
    try {
      return await readKeyPair(files);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code && code.startsWith('E') && !code.startsWith('ERR_') ? code : 'not a matching PEM certificate and private key';
      throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `cannot use --tls-cert ${files.certFile} / --tls-key ${files.keyFile}: ${why}`);
    }
  }

  start(): void {
    this.#schedule();
  }

  /** Check the files now; resolves true when a new pair was applied. */
  async reload(): Promise<boolean> {
    let pair: KeyPair;
    try {
      pair = await readKeyPair(this.#o);
    } catch (e) {
      this.#o.logger.warn({ cert: this.#o.certFile, key: this.#o.keyFile, code: (e as NodeJS.ErrnoException).code }, 'TLS certificate/key not loadable; keeping the pair in use');
      return false;
    }
    const d = digestOf(pair);
    if (d === this.#digest) return false;
    this.#o.apply(pair);
    this.#digest = d;
    this.#o.logger.info({ cert: this.#o.certFile }, 'TLS certificate reloaded');
    return true;
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      void this.reload().finally(() => this.#schedule());
    }, this.#o.intervalMs ?? 10_000);
  }
}
