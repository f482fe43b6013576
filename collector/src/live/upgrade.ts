import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { FilterError, TailFilter, filterSpecFromQuery } from './filter.ts';

/** Longest replay window a tail subscriber may ask for ("since"). */
export const MAX_REPLAY_MS = 3_600_000;

/** Decides whether an upgrade may proceed (authentication); null = allowed. */
export type UpgradeAuthorizer = (req: IncomingMessage) => Promise<{ status: number; message: string } | null>;

const errorTypeOf: Record<number, string> = { 400: 'bad_data', 401: 'unauthorized', 403: 'forbidden', 503: 'unavailable' };

/** "30s", "5m", "1h" to milliseconds (at most MAX_REPLAY_MS); empty → undefined. */
export function parseSince(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  const m = /^(\d+)(s|m|h)$/.exec(raw);
  if (!m) throw new FilterError('since must look like 30s, 5m or 1h');
  const ms = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
  if (ms > MAX_REPLAY_MS) throw new FilterError('since exceeds the 1h replay limit');
  return ms;
}

/** Refuse a WebSocket upgrade with an HTTP status and the API's JSON error envelope. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ status: 'error', errorType: errorTypeOf[status] ?? 'internal', error: message });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
}

export type Admission = { ok: true; filter: TailFilter; since: number | undefined } | { ok: false; status: number; message: string };

/** Authentication, then the filter and replay window from the query string: what every tail endpoint checks first. */
export async function admitTail(req: IncomingMessage, url: URL, authorize: UpgradeAuthorizer | undefined): Promise<Admission> {
  const denied = authorize ? await authorize(req) : null;
  if (denied) return { ok: false, ...denied };
  try {
    return { ok: true, filter: new TailFilter(filterSpecFromQuery(url.searchParams)), since: parseSince(url.searchParams.get('since')) };
  } catch (e) {
    return { ok: false, status: 400, message: (e as Error).message };
  }
}

/** A WebSocket message as text, whatever shape ws hands it over in. */
export function rawText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
