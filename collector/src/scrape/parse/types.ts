/** Shared types of the exposition parser. */

/** The two text formats a target may answer with. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/**
 * Metric family type. Prometheus text 0.0.4 `untyped` is reported as `unknown` (its OpenMetrics name),
 * and so is any sample that belongs to no `# TYPE` line.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

/**
 * What a sample is within its family, from the suffix of its name: `value` for the plain sample
 * (gauge, unknown, stateset, summary quantile, 0.0.4 counter), `total` for an OpenMetrics counter's
 * `_total`, and the histogram/summary parts. `created` samples carry a creation time in seconds.
 */
export type SampleRole = 'value' | 'total' | 'bucket' | 'sum' | 'count' | 'created' | 'gsum' | 'gcount' | 'info';

/** One line that could not be used. The line is skipped, the rest of the body is still parsed. */
export interface ParseError {
  /** 1-based physical line number in the body. */
  line: number;
  /** Why the line was rejected, e.g. `invalid value "abc"`. */
  reason: string;
  /**
   * True when the sample was still recovered (a label value broken by raw newlines, as a Node.js
   * Kubeless runtime writes after a module load error). The caller may count it apart.
   */
  recovered: boolean;
}

/** HELP / TYPE / UNIT of one metric family, as announced by the body. */
export interface FamilyMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

/** A fully materialised sample, as returned by `parseExposition` (the convenience API). */
export interface ParsedSample {
  /** Metric name, e.g. `function_duration_seconds_bucket`. */
  name: string;
  /** Label pairs in the order written, values unescaped. `__name__` is not included. */
  labels: Array<[string, string]>;
  value: number;
  /** Milliseconds since the epoch, or undefined when the line has no timestamp. */
  timestampMs: number | undefined;
  /** Family the sample belongs to (the name without its suffix). */
  family: string;
  type: MetricType;
  role: SampleRole;
  /** 1-based line number of the sample. */
  line: number;
}

export interface ParseOptions {
  /** Which grammar to apply (see `formatFromContentType`). Default `prometheus`. */
  format?: ExpositionFormat;
  /** Most raw lines a label value may span when the exporter wrote raw newlines in it (default 64). */
  maxJoinedLines?: number;
}
