/**
 * Realistic Kubeless-like /metrics bodies for benchmarks: the Python runtime's families (calls,
 * failures, a 15-bucket duration histogram, their `_created` gauges, process and gc metrics) for
 * many `method` label values, with values that move from one scrape to the next like a busy
 * function's. Deterministic for a given seed.
 */
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1.0', '2.5', '5.0', '7.5', '10.0', '+Inf'];
const BOUNDS = BUCKETS.map(Number);

export interface PayloadState {
  methods: string[];
  calls: number[];
  failures: number[];
  buckets: number[][];
  sums: number[];
  cpu: number;
  rand: () => number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A target with `methods` label values (about 22 series each, plus 15 process series). */
export function newTarget(methods: number, seed = 1): PayloadState {
  const m = Array.from({ length: methods }, (_, i) => `handler-${['GET', 'POST', 'PUT', 'DELETE'][i % 4]}-${i}`);
  return { methods: m, calls: m.map(() => 0), failures: m.map(() => 0), buckets: m.map(() => BUCKETS.map(() => 0)), sums: m.map(() => 0), cpu: 0.2, rand: rng(seed) };
}

/** Advance the target by one scrape interval: some calls, some failures, their latencies. */
export function tick(s: PayloadState): void {
  for (let i = 0; i < s.methods.length; i++) {
    const n = Math.floor(s.rand() * 20);
    s.calls[i]! += n;
    if (s.rand() < 0.2) s.failures[i]! += 1;
    for (let k = 0; k < n; k++) {
      const d = Math.exp(Math.log(0.004) + s.rand() * 5);
      s.sums[i]! += d;
      for (let b = 0; b < BOUNDS.length; b++) if (d <= BOUNDS[b]!) s.buckets[i]![b]! += 1;
    }
  }
  s.cpu += 0.01 + s.rand() * 0.02;
}

/** The body the Python runtime would serve now. */
export function render(s: PayloadState): string {
  const out: string[] = [];
  out.push('# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.', '# TYPE process_cpu_seconds_total counter', `process_cpu_seconds_total ${s.cpu}`);
  for (const g of ['0', '1', '2']) out.push(`python_gc_objects_collected_total{generation="${g}"} ${4675 + Math.floor(s.cpu * 100)}.0`);
  out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${3.9497728e7 + Math.floor(s.cpu * 1e5) * 4096}`);
  out.push('# HELP function_duration_seconds Duration of user function in seconds', '# TYPE function_duration_seconds histogram');
  s.methods.forEach((m, i) => {
    BUCKETS.forEach((le, b) => out.push(`function_duration_seconds_bucket{le="${le}",method="${m}"} ${s.buckets[i]![b]}.0`));
    out.push(`function_duration_seconds_count{method="${m}"} ${s.calls[i]}.0`, `function_duration_seconds_sum{method="${m}"} ${s.sums[i]}`);
  });
  out.push('# HELP function_duration_seconds_created Duration of user function in seconds', '# TYPE function_duration_seconds_created gauge');
  s.methods.forEach((m, i) => out.push(`function_duration_seconds_created{method="${m}"} ${1.795311018502045e9 + i}`));
  out.push('# HELP function_calls_total Number of calls to user function', '# TYPE function_calls_total counter');
  s.methods.forEach((m, i) => out.push(`function_calls_total{method="${m}"} ${s.calls[i]}.0`));
  out.push('# HELP function_failures_total Number of exceptions in user function', '# TYPE function_failures_total counter');
  s.methods.forEach((m, i) => out.push(`function_failures_total{method="${m}"} ${s.failures[i]}.0`));
  return out.join('\n') + '\n';
}
