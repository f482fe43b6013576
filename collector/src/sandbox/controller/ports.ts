/** Loopback ports for pods: each pod's function process listens on one of its own. */
import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on `host`. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Hands out free ports, never one that a live pod still holds. */
export class PortAllocator {
  readonly #host: string;
  readonly #inUse = new Set<number>();
  readonly #probe: (host: string) => Promise<number>;

  constructor(host: string, probe: (host: string) => Promise<number> = freePort) {
    this.#host = host;
    this.#probe = probe;
  }

  async allocate(): Promise<number> {
    for (let i = 0; i < 50; i++) {
      const p = await this.#probe(this.#host);
      if (!this.#inUse.has(p)) {
        this.#inUse.add(p);
        return p;
      }
    }
    throw new Error('sandbox: no free port found');
  }

  release(port: number): void {
    this.#inUse.delete(port);
  }
}
