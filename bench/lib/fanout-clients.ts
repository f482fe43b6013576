/**
 * Live-tail subscribers for bench/tail-fanout.ts, run as their own process so that their CPU is not
 * counted against the collector: real `ws` clients on /api/v1/tail, each following one function. For
 * each record received it takes the latency from the `sent=` stamp in the line (the time the line
 * entered the collector; one machine, one clock) to its arrival, into a histogram of 0.1 ms buckets.
 *
 * argv: <ws base url> <first subscriber index> <subscribers> <functions>
 * Messages (IPC): sends {type:'ready'} once every subscriber is subscribed; {type:'measure', from}
 * resets the counts and counts from then on only records stamped at or after `from`; on
 * {type:'report'} answers {type:'report', ...ClientsResult}.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { FANOUT_NAMESPACE, functionName } from './fanout-names.ts';

/** Latency buckets of 0.1 ms, up to 60 s (the last holds everything slower). */
export const LATENCY_BUCKETS = 600_000;

export interface ClientsResult {
  received: number;
  frames: number;
  /** Records the hub reported dropped to these subscribers. */
  dropped: number;
  /** Subscribers closed by the server, by close code. */
  closes: Record<string, number>;
  /** Count per 0.1 ms latency bucket (sparse: [bucket, count]). */
  latency: Array<[number, number]>;
}

const SENT = Buffer.from('sent=');
const DROPPED = Buffer.from('"dropped":');

function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The decimal number starting at i in the frame's bytes. */
function numberAt(buf: Buffer, i: number): number {
  let v = 0;
  let scale = 0;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      if (scale > 0) scale *= 10;
    } else if (c === 46 && scale === 0) {
      scale = 1;
    } else {
      break;
    }
  }
  return scale > 0 ? v / scale : v;
}

function main(): void {
  const [base, firstArg, countArg, functionsArg] = process.argv.slice(2);
  const first = Number(firstArg);
  const count = Number(countArg);
  const functions = Number(functionsArg);
  const send = (m: unknown): void => void process.send?.(m);
  const hist = new Uint32Array(LATENCY_BUCKETS);
  let received = 0;
  let frames = 0;
  let dropped = 0;
  const closes: Record<string, number> = {};
  let ready = 0;
  let closing = false;
  /** Records stamped before this are not counted (warm-up). */
  let from = Infinity;

  const onFrame = (buf: Buffer): void => {
    const at = now();
    if (buf[2] !== 116 /* {"type":"records" */ || buf.indexOf('"type":"records"') !== 1) return;
    frames++;
    const d = buf.indexOf(DROPPED);
    if (d >= 0) dropped += numberAt(buf, d + DROPPED.length);
    for (let i = buf.indexOf(SENT); i >= 0; i = buf.indexOf(SENT, i + SENT.length)) {
      const sent = numberAt(buf, i + SENT.length);
      if (sent < from) continue;
      hist[Math.min(LATENCY_BUCKETS - 1, Math.max(0, Math.floor((at - sent) * 10)))]!++;
      received++;
    }
  };

  const open = (k: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const fn = functionName((first + k) % functions);
      const ws = new WebSocket(`${base}/api/v1/tail?namespace=${FANOUT_NAMESPACE}&function=${fn}`, { perMessageDeflate: false });
      let subscribed = false;
      ws.on('message', (data: Buffer) => {
        if (!subscribed) {
          subscribed = true;
          ready++;
          resolve();
          return;
        }
        onFrame(data);
      });
      ws.on('close', (code) => {
        if (!closing) closes[code] = (closes[code] ?? 0) + 1;
      });
      ws.on('error', (e) => {
        if (!subscribed) reject(e);
      });
    });

  void (async () => {
    // a few at a time: a thousand handshakes at once overflow the listen backlog
    for (let k = 0; k < count; k += 50) await Promise.all(Array.from({ length: Math.min(50, count - k) }, (_, j) => open(k + j)));
    send({ type: 'ready', subscribers: ready });
  })().catch((e: unknown) => {
    send({ type: 'failed', error: String(e) });
    process.exit(1);
  });

  process.on('message', (m: { type: string; from?: number }) => {
    if (m.type === 'measure') {
      from = m.from ?? 0;
      hist.fill(0);
      received = frames = dropped = 0;
      for (const k of Object.keys(closes)) delete closes[k];
    }
    if (m.type === 'report') {
      const latency: Array<[number, number]> = [];
      for (let b = 0; b < hist.length; b++) if (hist[b]! > 0) latency.push([b, hist[b]!]);
      const result: ClientsResult = { received, frames, dropped, closes: { ...closes }, latency };
      send({ type: 'report', ...result });
    }
    if (m.type === 'exit') {
      closing = true;
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[1] === import.meta.filename) main();
