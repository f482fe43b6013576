/**
 * /metrics bodies shaped like the Kubeless Python runtime's (prometheus_client output, see
 * /work/shared/fixtures/kubeless-runtimes/python-metrics.txt): python_gc_* and python_info, process_*,
 * then per `method` value the function_duration_seconds histogram with the runtime's 15 buckets, its
 * `_created` gauge, function_calls_total / function_failures_total and their `_created` gauges.
 * 16 fixed series + 22 per method value. Values move every tick like a busy function's, and are
 * printed as prometheus_client prints them ("3.0", "3.9497728e+07"). Deterministic for a seed.
 */
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1.0', '2.5', '5.0', '7.5', '10.0', '+Inf'];
const BOUNDS = BUCKETS.map((b) => (b === '+Inf' ? Infinity : Number(b)));
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

/** Series a target with this many method values serves. */
export const FIXED_SERIES = 16;
export const SERIES_PER_METHOD = 22;

export function seriesFor(methods: number): number {
  return FIXED_SERIES + SERIES_PER_METHOD * methods;
}

/** The number of method values that comes closest to `series` series per target (at least 1). */
export function methodsFor(series: number): number {
  return Math.max(1, Math.round((series - FIXED_SERIES) / SERIES_PER_METHOD));
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

/** prometheus_client's floatToGoString: Python's repr, with Go's exponent form from 1e7 up. */
export function goFloat(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  const s = Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : String(v);
  const dot = s.indexOf('.');
  if (v > 0 && dot > 6) {
    const mantissa = `${s[0]}.${s.slice(1, dot)}${s.slice(dot + 1)}`.replace(/[0.]+$/, '');
    return `${mantissa}e+0${dot - 1}`;
  }
  return s;
}

export interface PythonTarget {
  readonly methods: string[];
  /** Per method: calls, failures, duration sum, then the 15 cumulative bucket counts. */
  readonly calls: Float64Array;
  readonly failures: Float64Array;
  readonly sums: Float64Array;
  readonly buckets: Float64Array;
  /** Mean calls per method per tick. */
  readonly load: number;
  cpu: number;
  gc: number;
  rss: number;
  ticks: number;
  readonly rand: () => number;
  /** Text that never changes, per line, ready for the value to be appended. */
  readonly prefixes: string[];
  readonly created: string[];
}

export function newPythonTarget(methods: number, seed: number): PythonTarget {
  const rand = rng(seed);
  const m = Array.from({ length: methods }, (_, i) => (i < HTTP_METHODS.length ? HTTP_METHODS[i]! : `${HTTP_METHODS[i % 4]}-${i}`));
  const prefixes: string[] = [];
  for (const name of m) {
    for (const le of BUCKETS) prefixes.push(`function_duration_seconds_bucket{le="${le}",method="${name}"} `);
  }
  const created = m.map((_, i) => goFloat(1.795311018502045e9 + i * 0.0197 + seed * 1e-3));
  return {
    methods: m,
    calls: new Float64Array(methods),
    failures: new Float64Array(methods),
    sums: new Float64Array(methods),
    buckets: new Float64Array(methods * BUCKETS.length),
    load: 2 + rand() * 18,
    cpu: 0.21,
    gc: 4675,
    rss: 3.9497728e7,
    ticks: 0,
    rand,
    prefixes,
    created,
  };
}

/** One scrape interval passes: calls, failures and their latencies, a little CPU and memory. */
export function tickPython(s: PythonTarget): void {
  const nb = BOUNDS.length;
  for (let i = 0; i < s.methods.length; i++) {
    const n = Math.floor(s.rand() * 2 * s.load);
    s.calls[i]! += n;
    for (let k = 0; k < n; k++) {
      if (s.rand() < 0.05) s.failures[i]! += 1;
      const d = Math.exp(Math.log(0.003) + s.rand() * 5.5);
      s.sums[i]! += d;
      for (let b = nb - 1; b >= 0 && d <= BOUNDS[b]!; b--) s.buckets[i * nb + b]! += 1;
    }
  }
  s.cpu = Math.round((s.cpu + 0.01 + s.rand() * 0.02) * 100) / 100;
  s.gc += Math.floor(s.rand() * 40);
  s.rss = 3.9497728e7 + Math.floor(s.rand() * 64) * 4096;
  s.ticks++;
}

/** The body the Python runtime would serve now. */
export function renderPython(s: PythonTarget): string {
  const o: string[] = [
    '# HELP python_gc_objects_collected_total Objects collected during gc',
    '# TYPE python_gc_objects_collected_total counter',
    `python_gc_objects_collected_total{generation="0"} ${goFloat(s.gc)}`,
    `python_gc_objects_collected_total{generation="1"} ${goFloat(Math.floor(s.gc / 5))}`,
    'python_gc_objects_collected_total{generation="2"} 0.0',
    '# HELP python_gc_objects_uncollectable_total Uncollectable object found during GC',
    '# TYPE python_gc_objects_uncollectable_total counter',
    'python_gc_objects_uncollectable_total{generation="0"} 0.0',
    'python_gc_objects_uncollectable_total{generation="1"} 0.0',
    'python_gc_objects_uncollectable_total{generation="2"} 0.0',
    '# HELP python_gc_collections_total Number of times this generation was collected',
    '# TYPE python_gc_collections_total counter',
    `python_gc_collections_total{generation="0"} ${goFloat(Math.floor(s.gc / 46))}`,
    `python_gc_collections_total{generation="1"} ${goFloat(Math.floor(s.gc / 520))}`,
    'python_gc_collections_total{generation="2"} 0.0',
    '# HELP python_info Python platform information',
    '# TYPE python_info gauge',
    'python_info{implementation="CPython",major="3",minor="11",patchlevel="2",version="3.11.2"} 1.0',
    '# HELP process_virtual_memory_bytes Virtual memory size in bytes.',
    '# TYPE process_virtual_memory_bytes gauge',
    `process_virtual_memory_bytes ${goFloat(s.rss + 7.6e8)}`,
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${goFloat(s.rss)}`,
    '# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.',
    '# TYPE process_start_time_seconds gauge',
    'process_start_time_seconds 1.79531101762e+09',
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${goFloat(s.cpu)}`,
    '# HELP process_open_fds Number of open file descriptors.',
    '# TYPE process_open_fds gauge',
    `process_open_fds ${goFloat(20 + (s.ticks % 3))}`,
    '# HELP process_max_fds Maximum number of open file descriptors.',
    '# TYPE process_max_fds gauge',
    'process_max_fds 20000.0',
    '# HELP function_duration_seconds Duration of user function in seconds',
    '# TYPE function_duration_seconds histogram',
  ];
  const nb = BOUNDS.length;
  const m = s.methods;
  for (let i = 0; i < m.length; i++) {
    for (let b = 0; b < nb; b++) o.push(s.prefixes[i * nb + b]! + goFloat(s.buckets[i * nb + b]!));
    o.push(`function_duration_seconds_count{method="${m[i]}"} ${goFloat(s.calls[i]!)}`, `function_duration_seconds_sum{method="${m[i]}"} ${goFloat(s.sums[i]!)}`);
  }
  o.push('# HELP function_duration_seconds_created Duration of user function in seconds', '# TYPE function_duration_seconds_created gauge');
  for (let i = 0; i < m.length; i++) o.push(`function_duration_seconds_created{method="${m[i]}"} ${s.created[i]}`);
  o.push('# HELP function_calls_total Number of calls to user function', '# TYPE function_calls_total counter');
  for (let i = 0; i < m.length; i++) o.push(`function_calls_total{method="${m[i]}"} ${goFloat(s.calls[i]!)}`);
  o.push('# HELP function_calls_created Number of calls to user function', '# TYPE function_calls_created gauge');
  for (let i = 0; i < m.length; i++) o.push(`function_calls_created{method="${m[i]}"} ${s.created[i]}`);
  o.push('# HELP function_failures_total Number of exceptions in user function', '# TYPE function_failures_total counter');
  for (let i = 0; i < m.length; i++) o.push(`function_failures_total{method="${m[i]}"} ${goFloat(s.failures[i]!)}`);
  o.push('# HELP function_failures_created Number of exceptions in user function', '# TYPE function_failures_created gauge');
  for (let i = 0; i < m.length; i++) o.push(`function_failures_created{method="${m[i]}"} ${s.created[i]}`);
  return o.join('\n') + '\n';
}
