import type { ExceptionRecord } from '../events/records.ts';
import type { Frame, Language } from '../stacktrace/types.ts';

export type GroupStatus = 'new' | 'ongoing' | 'regressed';

/** One sample occurrence kept with a group. */
export interface ErrorSample {
  seq: number;
  time: number;
  namespace: string;
  function: string;
  pod: string;
  message: string;
  frames: Frame[];
  causes: ExceptionRecord['causes'];
  lines: string[];
}

/** A kind of error: every exception with the same fingerprint. */
export interface ErrorGroup {
  id: string;
  language: Language;
  type: string;
  /** The latest occurrence's message. */
  message: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  /** "namespace/function" → occurrences. */
  functions: Record<string, number>;
  /** pod → occurrences. */
  pods: Record<string, number>;
  /** Occurrences per minute over the last hour: [minuteStartMs, count]. */
  minutes: Array<[number, number]>;
  /** The first occurrence and the most recent ones. */
  samples: ErrorSample[];
  /** Last time the group came back after a quiet period. */
  regressedAt: number | null;
}

export const GROUP_LIMITS = {
  /** Samples kept per group: the first one and the most recent. */
  samples: 5,
  /** Distinct pods and functions tracked per group (the rest are counted under "other"). */
  spread: 200,
  /** Minutes of per-minute counts kept. */
  minutes: 60,
} as const;

export function sampleOf(e: ExceptionRecord): ErrorSample {
  return { seq: e.seq, time: e.time, namespace: e.namespace, function: e.function, pod: e.pod, message: e.message, frames: e.frames, causes: e.causes, lines: e.lines };
}

function bump(map: Record<string, number>, key: string): void {
  if (map[key] === undefined && Object.keys(map).length >= GROUP_LIMITS.spread) key = 'other';
  map[key] = (map[key] ?? 0) + 1;
}

/** Add one occurrence to a group (mutates it). quietMs: a gap this long makes it regressed. */
export function addOccurrence(g: ErrorGroup, e: ExceptionRecord, quietMs: number): void {
  if (e.time - g.lastSeen >= quietMs) g.regressedAt = e.time;
  g.count++;
  g.lastSeen = Math.max(g.lastSeen, e.time);
  g.message = e.message;
  bump(g.functions, `${e.namespace}/${e.function}`);
  bump(g.pods, e.pod);
  const minute = Math.floor(e.time / 60_000) * 60_000;
  const last = g.minutes[g.minutes.length - 1];
  if (last && last[0] === minute) last[1]++;
  else if (!last || last[0] < minute) g.minutes.push([minute, 1]);
  else {
    const slot = g.minutes.find((m) => m[0] === minute);
    if (slot) slot[1]++;
  }
  while (g.minutes.length > 0 && g.minutes[0]![0] <= minute - GROUP_LIMITS.minutes * 60_000) g.minutes.shift();
  if (g.samples.length >= GROUP_LIMITS.samples) g.samples.splice(1, 1); // keep the first occurrence
  g.samples.push(sampleOf(e));
}

export function newGroup(e: ExceptionRecord): ErrorGroup {
  return {
    id: e.fingerprint,
    language: e.language,
    type: e.type,
    message: e.message,
    firstSeen: e.time,
    lastSeen: e.time,
    count: 0,
    functions: {},
    pods: {},
    minutes: [],
    samples: [],
    regressedAt: null,
  };
}

/** new: first seen within newMs; regressed: came back after a quiet period within newMs; else ongoing. */
export function statusOf(g: ErrorGroup, now: number, newMs: number): GroupStatus {
  if (now - g.firstSeen < newMs) return 'new';
  if (g.regressedAt !== null && now - g.regressedAt < newMs) return 'regressed';
  return 'ongoing';
}

/** Occurrences per second over the last `windowMs` (minute resolution). */
export function rateOf(g: ErrorGroup, now: number, windowMs: number): number {
  const from = now - windowMs;
  let n = 0;
  for (const [m, c] of g.minutes) if (m + 60_000 > from && m <= now) n += c;
  return n / (windowMs / 1000);
}
