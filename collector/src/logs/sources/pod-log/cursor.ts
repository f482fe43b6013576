/**
 * Exactly-once resume for the pod log API. Lines carry RFC3339Nano timestamps (kubelet trims trailing
 * zeros of the fraction, so the strings do not sort as text: they are normalised to nine digits).
 * After a reconnect with sinceTime, the server repeats lines at and after that time (sinceTime has
 * one-second precision on real API servers): a line older than the last one seen is dropped, and of
 * lines with exactly the last timestamp, as many as were already seen are dropped.
 */
export class LogCursor {
  /** Normalised timestamp of the last line passed on, '' before the first. */
  #last = '';
  /** The same, as the source printed it (for sinceTime). */
  #lastRaw = '';
  /** Lines passed on with timestamp == #last. */
  #atLast = 0;
  /** Lines at #last seen in the current connection (for the replay skip). */
  #replayAtLast = 0;

  /** Call at each (re)connection. */
  reset(): void {
    this.#replayAtLast = 0;
  }

  get sinceTime(): string | undefined {
    return this.#lastRaw === '' ? undefined : this.#lastRaw;
  }

  /** Restore from persisted state. */
  restore(raw: string, atLast: number): void {
    const n = normalizeTimestamp(raw);
    if (n === null) return;
    this.#last = n;
    this.#lastRaw = raw;
    this.#atLast = atLast;
  }

  snapshot(): { raw: string; atLast: number } | null {
    return this.#lastRaw === '' ? null : { raw: this.#lastRaw, atLast: this.#atLast };
  }

  /** True when the line (its timestamp token) is new and must be passed on. */
  accept(ts: string): boolean {
    const n = normalizeTimestamp(ts);
    if (n === null) return true; // no timestamp: cannot de-duplicate, never drop
    if (this.#last !== '' && n < this.#last) return false;
    if (n === this.#last) {
      this.#replayAtLast++;
      if (this.#replayAtLast <= this.#atLast) return false;
      this.#atLast++;
      return true;
    }
    this.#last = n;
    this.#lastRaw = ts;
    this.#atLast = 1;
    this.#replayAtLast = 1;
    return true;
  }
}

const TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** "2026-11-22T01:30:18.5Z" → "2026-11-22T01:30:18.500000000Z"; other offsets converted to UTC. */
export function normalizeTimestamp(ts: string): string | null {
  const m = TS.exec(ts);
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(9, '0');
  if (m[3] === 'Z') return `${m[1]}.${frac}Z`;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}
