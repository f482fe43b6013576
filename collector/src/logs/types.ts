/**
 * Shapes shared by the log pipeline: one decoded line (`LogLine`), the identity of the stream it came
 * from, and the `Stage` interface every line-level stage implements so that stages chain in one pipeline.
 *
 * A `LogLine` is small and flat, and every field is always present (null or false when unknown), so all
 * lines share one object shape. A stage owns the line it is given: it may change it in place and return
 * it, or return null to drop it.
 */

/**
 * Which output stream a line was written to. The pod log API merges stdout and stderr and does not say
 * which was which: its lines, and lines that could not be decoded, are `combined`.
 */
export type LogStream = 'stdout' | 'stderr' | 'combined';

/** Where a line comes from: one container of one pod of one function. */
export interface StreamIdentity {
  namespace: string;
  function: string;
  pod: string;
  container: string;
}

/** The access-log formats fnscope reads (see docs/logs-pipeline.md for a sample of each). */
export type AccessFormat =
  /** wsgi-request-logger under bottle/CherryPy (Kubeless python): combined plus `seconds/microseconds`. */
  | 'bottle'
  /** NCSA combined: morgan "combined" (Kubeless nodejs), nginx's default `combined`. */
  | 'combined'
  /** NCSA common log format with a numeric zone and nothing after the size (nginx/Apache `common`). */
  | 'common'
  /** Go `log` line of the Kubeless go runtime and of the function-proxy (ruby, php, ballerina). */
  | 'go-log'
  /** Rack::CommonLogger (Sinatra, Kubeless ruby): common log format plus seconds. */
  | 'rack'
  /** WEBrick's own access log: common log format with a zone name (`UTC`) and no duration. */
  | 'webrick'
  /** PHP-FPM's default pool access log: `%R - %u %t "%m %r" %s`. */
  | 'php-fpm';

/** One HTTP response read from an access line. */
export interface AccessRecord {
  format: AccessFormat;
  /** As printed (upper case), e.g. `POST`. */
  method: string;
  /** The request target as printed, query string included when the runtime prints it. */
  path: string;
  status: number;
  durationSeconds?: number;
  bytes?: number;
  userAgent?: string;
  /**
   * False when this line must not count as a response: a copy of a line counted elsewhere (python's
   * `INFO:requestlogger:` copy, WEBrick's and PHP-FPM's own logs beside the web framework's), a proxy
   * line whose upstream printed the real status, or an ignored path such as `/healthz`.
   */
  counted: boolean;
}

export interface LogLine {
  namespace: string;
  function: string;
  pod: string;
  container: string;
  stream: LogStream;
  /** Milliseconds since the Unix epoch. */
  time: number;
  /** The timestamp exactly as the runtime's log printed it (RFC 3339, nanoseconds); '' when it had none. */
  timeText: string;
  /** Increases by one for each line a sequence hands out; never reused. */
  seq: number;
  text: string;
  /** True when this line is one piece of a longer line that was cut at the decoder's line limit. */
  truncated: boolean;
  /** The response this line records, when it is an access line (set by the access-log stage). */
  access: AccessRecord | null;
}

/** One step of the line pipeline. Stages are pure and synchronous: no I/O, no timers. */
export interface Stage {
  readonly name: string;
  /** Change the line in place and return it, or return null to drop it. */
  process(line: LogLine): LogLine | null;
  /** Forget any state kept for this container (its pod is gone). */
  endStream?(namespace: string, pod: string, container: string): void;
}

/** Hands out the monotonic `seq` numbers of lines. */
export interface Sequence {
  next(): number;
}
