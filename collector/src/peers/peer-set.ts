import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import type { Clock, Timer } from '../util/clock.ts';
import { PEER_LIMITS } from './limits.ts';

/** Names a host to its addresses (the headless Service's A/AAAA records). */
export type PeerResolver = (host: string) => Promise<string[]>;

/** getaddrinfo through the system resolver: /etc/hosts and the pod's DNS search path apply. */
export const systemPeerResolver: PeerResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface PeerSetOptions {
  /** Static peers: base URLs like http://10.0.0.7:9464 (tests, fixed installs). */
  urls?: readonly string[];
  /** Or a DNS name whose addresses are the peers (a headless Service), with their port (default: ours). */
  dns?: { host: string; port?: number };
  clock: Clock;
  logger: Logger;
  resolve?: PeerResolver;
  /** How often the DNS name is looked up again (default 30 s). */
  refreshMs?: number;
  /** This machine's addresses, to recognise ourselves among the peers (default: every interface's). */
  localAddresses?: () => string[];
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function urlFor(scheme: string, address: string, port: number): string {
  return `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** "NAME" or "NAME:PORT" (the value of --peers-dns). */
export function parsePeersDns(s: string): { host: string; port?: number } {
  const m = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(s.trim());
  if (!m || !m[1]) throw new Error(`invalid --peers-dns "${s}" (use NAME or NAME:PORT, e.g. fnscope-peers.fnscope.svc:9464)`);
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`invalid port in --peers-dns "${s}"`);
  return { host: m[1], ...(port !== undefined ? { port } : {}) };
}

/** Base URL of a peer given as URL or HOST:PORT; throws on anything else. */
export function normalizePeerUrl(s: string): string {
  const raw = /^[a-z]+:\/\//i.test(s) ? s : `http://${s}`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`invalid peer "${s}" (use http(s)://HOST:PORT)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`invalid peer "${s}": only http and https`);
  if (u.pathname !== '/' || u.search !== '' || u.username !== '') throw new Error(`invalid peer "${s}": give the base URL only (scheme, host, port)`);
  return u.origin;
}

/**
 * The other replicas this collector asks when it answers for the whole cluster: a static list, or
 * the addresses of a DNS name looked up periodically. The collector itself is left out (same port
 * on one of this machine's addresses). A failed lookup keeps the last good list and is reported.
 */
export class PeerSet {
  readonly #o: PeerSetOptions;
  readonly #resolve: PeerResolver;
  #self: URL | undefined;
  #selfHosts = new Set<string>();
  #all: string[] = [];
  #problem: string | undefined;
  #timer: Timer | undefined;
  #stopped = false;

  constructor(o: PeerSetOptions) {
    if (!o.urls?.length && !o.dns) throw new Error('a peer set needs urls or a DNS name');
    this.#o = o;
    this.#resolve = o.resolve ?? systemPeerResolver;
    this.#all = (o.urls ?? []).map(normalizePeerUrl);
  }

  /** Learns our own URL (after listening) and does the first lookup. */
  async start(selfUrl: string): Promise<void> {
    this.#self = new URL(selfUrl);
    const host = bare(this.#self.hostname);
    const local = WILDCARD.has(host) ? (this.#o.localAddresses ?? allInterfaceAddresses)() : [host];
    this.#selfHosts = new Set(local.map(bare));
    if ([...this.#selfHosts].some((h) => h === '::1' || h.startsWith('127.'))) this.#selfHosts.add('localhost');
    if (this.#o.dns) await this.#refresh();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }

  /** Base URLs of the other replicas, now. */
  peers(): string[] {
    return this.#all.filter((u) => !this.isSelf(u));
  }

  /** Why the peer list may be incomplete (a failed DNS lookup), if it may be. */
  problem(): string | undefined {
    return this.#problem;
  }

  isSelf(base: string): boolean {
    if (!this.#self) return false;
    const u = new URL(base);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    const selfPort = this.#self.port || (this.#self.protocol === 'https:' ? '443' : '80');
    return port === selfPort && this.#selfHosts.has(bare(u.hostname));
  }

  async #refresh(): Promise<void> {
    const dns = this.#o.dns!;
    const self = this.#self!;
    const scheme = self.protocol.slice(0, -1);
    const port = dns.port ?? Number(self.port || (scheme === 'https' ? 443 : 80));
    try {
      const addrs = [...new Set(await this.#resolve(dns.host))].sort();
      this.#all = addrs.map((a) => urlFor(scheme, a, port));
      if (this.#problem) this.#o.logger.info({ peers: this.#all.length }, 'peer lookup works again');
      this.#problem = undefined;
    } catch (e) {
      const msg = (e as { code?: string }).code ?? (e as Error).message;
      if (this.#problem === undefined) this.#o.logger.warn({ host: dns.host, err: msg }, 'peer lookup failed; keeping the last known peers');
      this.#problem = `peer lookup of ${dns.host} failed (${msg}); the answer may miss replicas`;
    }
    if (!this.#stopped) this.#timer = this.#o.clock.setTimeout(() => void this.#refresh(), this.#o.refreshMs ?? PEER_LIMITS.dnsRefreshMs);
  }
}

function allInterfaceAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address);
  return out;
}
