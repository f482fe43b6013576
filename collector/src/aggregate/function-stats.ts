import { SlotRing, type Slot } from './slots.ts';
import type { TargetTotals } from './runtime-shapes.ts';
import { bucketQuantile } from '../store/index.ts';

/** Per-function rates over a window, answered from increments kept at ingest (no series scan). */
export interface FunctionRates {
  windowSeconds: number;
  callsPerSecond: number;
  errorsPerSecond: number;
  /** errors / calls over the window; null with no calls. */
  errorRatio: number | null;
  /** 408 answers per second (from access lines). */
  timeoutsPerSecond: number;
  exceptionsPerSecond: number;
  /** Latency quantiles in seconds from the runtime's duration histogram; null without observations. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Where calls and errors came from: the runtime's counters, its access lines, or nothing yet. */
  source: 'runtime' | 'access-log' | 'none';
}

export interface FunctionStatsOptions {
  /** Width of one accumulation slot (default 5 s). */
  slotMs?: number;
  /** How far back rates and history can look (default 1 h). */
  keepMs?: number;
  /**
   * How far back per-pod rates can look (default 5 min): the API asks them for the last minute only,
   * and a slot per 5 s for an hour costs about 200 KB per pod.
   */
  podKeepMs?: number;
}

interface TargetState {
  fnKey: string;
  podKey: string;
  last: TargetTotals;
  /** When `last` was scraped. */
  t: number;
}

const key = (ns: string, fn: string): string => `${ns}/${fn}`;

function increase(cur: number, prev: number): number {
  return cur >= prev ? cur - prev : cur; // a counter that went down was reset
}

/**
 * Keeps per-function increments of calls, failures, responses and latency buckets, summed over all
 * the function's pods, so /api/v1/functions answers in microseconds at any series count.
 */
export class FunctionStats {
  readonly #slotMs: number;
  readonly #keepMs: number;
  readonly #podKeepMs: number;
  readonly #rings = new Map<string, SlotRing>();
  #lastRings: { ns: string; fn: string; pod: string; fnKey: string; rings: readonly [SlotRing, SlotRing] } | undefined;
  readonly #targets = new Map<string, TargetState>();
  /** Per ring key (function, or function/pod): when each of its targets was last scraped. */
  readonly #lastScrape = new Map<string, Map<string, number>>();

  constructor(opts: FunctionStatsOptions = {}) {
    this.#slotMs = opts.slotMs ?? 5000;
    this.#keepMs = opts.keepMs ?? 3_600_000;
    this.#podKeepMs = Math.min(this.#keepMs, opts.podKeepMs ?? 300_000);
  }

  #ring(ns: string, fn: string, pod?: string): SlotRing {
    const k = pod === undefined ? key(ns, fn) : `${key(ns, fn)}/${pod}`;
    let r = this.#rings.get(k);
    if (!r) {
      r = new SlotRing(this.#slotMs, pod === undefined ? this.#keepMs : this.#podKeepMs);
      this.#rings.set(k, r);
    }
    return r;
  }

  /**
   * One scrape of one target. The first scrape of a target only sets its baseline, unless
   * baselineZero says the pod started while we watched (its counters began at zero). The increments
   * since the previous scrape are spread evenly over the slots of (previous scrape, t], so that a
   * window's rate does not depend on where the scrapes fall in it (as Prometheus's rate() does not).
   */
  observeScrape(targetId: string, ns: string, fn: string, pod: string, t: number, totals: TargetTotals, baselineZero: boolean): void {
    const prev = this.#targets.get(targetId);
    const base = prev?.last ?? (baselineZero ? undefined : totals);
    const prevT = prev?.t;
    const fnKey = key(ns, fn);
    const podKey = `${fnKey}/${pod}`;
    // Updated in place: a new object per scrape would live until the next one, past the young generation.
    if (prev === undefined) this.#targets.set(targetId, { fnKey, podKey, last: totals, t });
    else {
      if (prev.fnKey !== fnKey || prev.podKey !== podKey) this.#forgetLastScrape(targetId, prev);
      prev.fnKey = fnKey;
      prev.podKey = podKey;
      prev.last = totals;
      prev.t = t;
    }
    if (!totals.seen) return;
    for (const k of [fnKey, podKey]) {
      let m = this.#lastScrape.get(k);
      if (m === undefined) this.#lastScrape.set(k, (m = new Map<string, number>()));
      m.set(targetId, t);
    }
    const calls = increase(totals.calls, base?.calls ?? 0);
    const failures = increase(totals.failures, base?.failures ?? 0);
    const bounds = [...totals.buckets.keys()];
    const buckets = bounds.map((b) => increase(totals.buckets.get(b) ?? 0, base?.buckets.get(b) ?? 0));
    const from = prevT !== undefined && prevT < t ? Math.max(prevT, t - this.#podKeepMs) : t;
    for (const ring of [this.#ring(ns, fn), this.#ring(ns, fn, pod)]) {
      const idx = bounds.length > 0 ? ring.alignBounds(bounds) : [];
      for (const [slot, share] of spread(ring, from, t)) {
        slot.calls += calls * share;
        slot.failures += failures * share;
        for (let i = 0; i < idx.length; i++) slot.buckets[idx[i]!]! += buckets[i]! * share;
      }
    }
  }

  /** A target is gone: forget its baseline (its function's history stays). */
  forgetTarget(targetId: string): void {
    const s = this.#targets.get(targetId);
    if (s !== undefined) this.#forgetLastScrape(targetId, s);
    this.#targets.delete(targetId);
  }

  #forgetLastScrape(targetId: string, s: TargetState): void {
    for (const k of [s.fnKey, s.podKey]) {
      const m = this.#lastScrape.get(k);
      m?.delete(targetId);
      if (m?.size === 0) this.#lastScrape.delete(k);
    }
  }

  /**
   * How much of the window (…, at] scraped counters cover: increments are known up to each target's
   * last scrape, so a window ending now lacks on average half an interval of them (12 % of a minute at
   * the default 15 s). Prometheus's rate() extrapolates to the end of the window; this divides by the
   * covered span instead. Targets not scraped for half a window (down, gone) are left out of the mean.
   */
  #coveredMs(ringKey: string, at: number, windowMs: number): number {
    const m = this.#lastScrape.get(ringKey);
    if (m === undefined) return windowMs;
    let gaps = 0;
    let n = 0;
    for (const t of m.values()) {
      const gap = at - t;
      if (gap >= 0 && gap < windowMs / 2) {
        gaps += gap;
        n++;
      }
    }
    return n === 0 ? windowMs : windowMs - gaps / n;
  }

  /** A function is gone: drop its history. */
  forgetFunction(ns: string, fn: string): void {
    const k = key(ns, fn);
    for (const rk of this.#rings.keys()) if (rk === k || rk.startsWith(`${k}/`)) this.#rings.delete(rk);
    for (const rk of this.#lastScrape.keys()) if (rk === k || rk.startsWith(`${k}/`)) this.#lastScrape.delete(rk);
    for (const [id, s] of this.#targets) if (s.fnKey === k) this.#targets.delete(id);
  }

  /** One response seen in an access line. */
  observeResponse(ns: string, fn: string, pod: string, code: number, t: number): void {
    const rings = this.#ringsOf(ns, fn, pod);
    for (let i = 0; i < 2; i++) {
      const slot = rings[i]!.at(t);
      slot.responses++;
      if (code >= 500) slot.responses5xx++;
      if (code === 408) slot.responses408++;
    }
  }

  /** One parsed exception. */
  observeException(ns: string, fn: string, pod: string, t: number): void {
    const [fnRing, podRing] = this.#ringsOf(ns, fn, pod);
    fnRing.at(t).exceptions++;
    podRing.at(t).exceptions++;
  }

  /**
   * The function's and the pod's rings, remembered for the last pod asked: log lines come in runs
   * from one pod, and building two key strings and an array per access line made a response cost
   * 138-287 ns; with this, 45-69 ns (2M responses over two pods at 100k/s, one core).
   */
  #ringsOf(ns: string, fn: string, pod: string): readonly [SlotRing, SlotRing] {
    const c = this.#lastRings;
    if (c !== undefined && c.ns === ns && c.fn === fn && c.pod === pod && this.#rings.get(c.fnKey) === c.rings[0]) return c.rings;
    const rings = [this.#ring(ns, fn), this.#ring(ns, fn, pod)] as const;
    this.#lastRings = { ns, fn, pod, fnKey: key(ns, fn), rings };
    return rings;
  }

  /** Rates of the whole function, or of one of its pods. */
  rates(ns: string, fn: string, now: number, windowMs: number, pod?: string): FunctionRates {
    const k = pod === undefined ? key(ns, fn) : `${key(ns, fn)}/${pod}`;
    const ring = this.#rings.get(k);
    return summarize(ring, inWindow(ring, now - windowMs, now, now), windowMs, this.#coveredMs(k, now, windowMs));
  }

  /** Rates at each step in [from, to], each over windowMs ending at that step. */
  history(ns: string, fn: string, from: number, to: number, stepMs: number, windowMs: number): Array<FunctionRates & { t: number }> {
    const k = key(ns, fn);
    const ring = this.#rings.get(k);
    const out: Array<FunctionRates & { t: number }> = [];
    for (let t = from; t <= to; t += stepMs) {
      out.push({ t, ...summarize(ring, inWindow(ring, t - windowMs, t, to), windowMs, this.#coveredMs(k, t, windowMs)) });
    }
    return out;
  }
}

/** The slots of (from, t] with the share of that span each covers; (t, t] is all in t's slot. */
function spread(ring: SlotRing, from: number, t: number): Array<[Slot, number]> {
  if (from >= t) return [[ring.at(t), 1]];
  const out: Array<[Slot, number]> = [];
  const width = ring.slotMs;
  // Slots are (start, start + width]: the first is the one holding the instant just after `from`.
  for (let start = Math.floor(from / width) * width; start < t; start += width) {
    const share = (Math.min(t, start + width) - Math.max(from, start)) / (t - from);
    if (share > 0) out.push([ring.at(start + width), share]);
  }
  return out;
}

/**
 * The slots overlapping the window (from, to], each with the share of its increments that fell inside
 * the window, assuming they came evenly over the slot's data span (start, min(end, dataEnd)]. Without
 * it a window not aligned to the slots would count up to one slot too many: +4 % on average for a
 * 1-minute window of 5-second slots (seen side by side with Prometheus's rate(), bench/side-by-side.ts).
 */
function inWindow(ring: SlotRing | undefined, from: number, to: number, dataEnd: number): Array<[Slot, number]> {
  const out: Array<[Slot, number]> = [];
  if (!ring) return out;
  for (const s of ring.range(from, to)) {
    const end = Math.min(s.start + ring.slotMs, dataEnd);
    const span = end - s.start;
    const inside = Math.min(end, to) - Math.max(s.start, from);
    out.push([s, span <= 0 ? 1 : Math.max(0, Math.min(1, inside / span))]);
  }
  return out;
}

/** Rates over the window; scraped counters (calls, failures) over the part of it they cover. */
function summarize(ring: SlotRing | undefined, slots: ReadonlyArray<readonly [Slot, number]>, windowMs: number, scrapedMs: number): FunctionRates {
  let calls = 0;
  let failures = 0;
  let responses = 0;
  let r5xx = 0;
  let r408 = 0;
  let exceptions = 0;
  const buckets = new Array<number>(ring?.bounds.length ?? 0).fill(0);
  for (const [s, w] of slots) {
    calls += s.calls * w;
    failures += s.failures * w;
    responses += s.responses * w;
    r5xx += s.responses5xx * w;
    r408 += s.responses408 * w;
    exceptions += s.exceptions * w;
    const b = s.buckets;
    for (let i = 0; i < b.length; i++) buckets[i]! += b[i]! * w;
  }
  // Scraped increments cover scrapedMs of the window: per second of the window, as if they covered it all.
  const scale = scrapedMs > 0 ? windowMs / scrapedMs : 1;
  calls *= scale;
  failures *= scale;
  const secs = windowMs / 1000;
  // Access lines see what some runtimes hide (python 408s, proxy-swallowed 500s): take the larger.
  const accessErrors = r5xx + r408;
  const source: FunctionRates['source'] = calls > 0 || responses === 0 ? (calls > 0 ? 'runtime' : 'none') : 'access-log';
  const totalCalls = Math.max(calls, responses);
  const totalErrors = Math.max(failures, accessErrors);
  // Bucket counts are cumulative already ("le"), so their increments are too.
  const observed = buckets[buckets.length - 1] ?? 0;
  const q = (p: number): number | null => {
    if (!ring || observed === 0) return null;
    const v = bucketQuantile(p, ring.bounds.map((upperBound, i) => ({ upperBound, count: buckets[i] ?? 0 })));
    return Number.isFinite(v) ? v : null;
  };
  return {
    windowSeconds: secs,
    callsPerSecond: totalCalls / secs,
    errorsPerSecond: totalErrors / secs,
    errorRatio: totalCalls > 0 ? Math.min(1, totalErrors / totalCalls) : null,
    timeoutsPerSecond: r408 / secs,
    exceptionsPerSecond: exceptions / secs,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    source,
  };
}
