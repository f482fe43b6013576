/**
 * Standard five-field cron schedules (minute hour day-of-month month day-of-week, in UTC), with
 * `*`, lists, ranges, steps and the @hourly/@daily/... macros, as Kubernetes CronJobs accept them.
 */

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface CronSchedule {
  next(afterMs: number): number;
}

function parseField(field: string, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  const value = (v: string): number => {
    const i = names?.indexOf(v.toLowerCase()) ?? -1;
    const n = i >= 0 ? i + min : Number(v);
    if (!Number.isInteger(n) || n < min || n > (names === DAYS ? 7 : max)) throw new Error(`value ${JSON.stringify(v)} out of range [${min}, ${max}]`);
    return names === DAYS && n === 7 ? 0 : n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in ${JSON.stringify(part)}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
    } else if (range?.includes('-')) {
      const [a, b] = range.split('-');
      lo = value(a ?? '');
      hi = value(b ?? '');
    } else {
      lo = value(range ?? '');
      hi = stepText === undefined ? lo : max;
    }
    if (lo > hi) throw new Error(`bad range ${JSON.stringify(range)}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a schedule; throws Error with a message when it is malformed. */
export function parseCron(expr: string): CronSchedule {
  const text = MACROS[expr.trim()] ?? expr.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = parseField(mi, 0, 59);
  const hours = parseField(h, 0, 23);
  const days = parseField(dom, 1, 31);
  const months = parseField(mon, 1, 12, MONTHS);
  const weekdays = parseField(dow, 0, 6, DAYS);
  const domStar = dom === '*' || dom === '?';
  const dowStar = dow === '*' || dow === '?';
  return {
    next(afterMs) {
      let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
      const limit = afterMs + 5 * 366 * 24 * 3600 * 1000;
      while (t <= limit) {
        const d = new Date(t);
        if (!months.has(d.getUTCMonth() + 1)) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
          continue;
        }
        const dayOk = domStar && dowStar ? true : domStar ? weekdays.has(d.getUTCDay()) : dowStar ? days.has(d.getUTCDate()) : days.has(d.getUTCDate()) || weekdays.has(d.getUTCDay());
        if (!dayOk) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
          continue;
        }
        if (!hours.has(d.getUTCHours())) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
          continue;
        }
        if (minutes.has(d.getUTCMinutes())) return t;
        t += 60_000;
      }
      throw new Error('schedule never fires');
    },
  };
}
