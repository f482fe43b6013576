/**
 * Where the access-log stage reports responses. The collector backs it with
 * `fnscope_function_responses_total{namespace,function,method,code}` and the histogram
 * `fnscope_function_response_duration_seconds{namespace,function,method}`.
 */
export interface ResponseMetrics {
  /** One response; `method` is already a bounded label value (see methodLabel). */
  responses(namespace: string, fn: string, method: string, code: number): void;
  /** The duration of that response, for the lines that print one. */
  duration(namespace: string, fn: string, method: string, seconds: number): void;
}
