/**
 * The access-log stage: reads the access line of each runtime (see runtime.ts for which formats a runtime
 * prints), attaches it to the line as `access`, and reports each counted response to a ResponseMetrics.
 * Lines that are not access lines pass through untouched; most are rejected on their first character.
 */
import type { LogLine, Stage } from '../../types.ts';
import { MAX_ACCESS_LINE_LENGTH } from './clf.ts';
import { clfFirst, phpFpmCandidate } from './gates.ts';
import { methodLabel } from './method.ts';
import type { ResponseMetrics } from './metrics.ts';
import { type AccessProfile, accessProfile } from './runtime.ts';

/**
 * Paths whose responses are not counted by default: the runtime's own endpoints (the liveness probe and
 * the Prometheus scrape), which are not calls of the function.
 */
export const DEFAULT_IGNORED_PATHS: readonly string[] = ['/healthz', '/metrics'];

export interface AccessLogStageOptions {
  /** The function's runtime id from the inventory (e.g. `python3.8`); null or undefined when unknown. */
  runtimeOf?: (namespace: string, fn: string) => string | null | undefined;
  recorder?: ResponseMetrics;
  /** Paths (without query string) whose responses are parsed but not counted. */
  ignorePaths?: readonly string[];
}

export interface AccessCounters {
  /** Lines read as access lines. */
  parsed: number;
  /** Responses reported to the recorder. */
  counted: number;
}

/** Could any runtime's access line (30 characters or more) start (and end) like this? */
function candidate(text: string): boolean {
  const c = text.charCodeAt(0);
  return clfFirst(c) || c === 73 /* INFO:requestlogger: */ || phpFpmCandidate(text);
}

export class AccessLogStage implements Stage {
  readonly name = 'access';
  readonly counters: AccessCounters = { parsed: 0, counted: 0 };
  readonly #runtimeOf: (namespace: string, fn: string) => string | null | undefined;
  readonly #recorder: ResponseMetrics | undefined;
  readonly #ignored: readonly string[];
  #lastNamespace = '';
  #lastFunction = '';
  #lastProfile: AccessProfile | null = null;

  constructor(options: AccessLogStageOptions = {}) {
    this.#runtimeOf = options.runtimeOf ?? (() => undefined);
    this.#recorder = options.recorder;
    this.#ignored = (options.ignorePaths ?? DEFAULT_IGNORED_PATHS).slice();
  }

  /** Forget the cached runtime of the last function seen (call when the inventory changes). */
  refreshRuntimes(): void {
    this.#lastProfile = null;
  }

  process(line: LogLine): LogLine | null {
    const text = line.text;
    if (text.length < 30 || text.length > MAX_ACCESS_LINE_LENGTH || !candidate(text)) return line;
    const rec = this.#profile(line.namespace, line.function).parse(text);
    if (rec === null) return line;
    this.counters.parsed++;
    if (rec.counted && this.#profileCounts(rec.format, rec.status) && !this.#ignoredPath(rec.path)) {
      this.counters.counted++;
      const recorder = this.#recorder;
      if (recorder !== undefined) {
        const method = methodLabel(rec.method);
        recorder.responses(line.namespace, line.function, method, rec.status);
        if (rec.durationSeconds !== undefined) recorder.duration(line.namespace, line.function, method, rec.durationSeconds);
      }
    } else {
      rec.counted = false;
    }
    line.access = rec;
    return line;
  }

  #profile(namespace: string, fn: string): AccessProfile {
    if (this.#lastProfile !== null && fn === this.#lastFunction && namespace === this.#lastNamespace) {
      return this.#lastProfile;
    }
    const profile = accessProfile(this.#runtimeOf(namespace, fn));
    this.#lastNamespace = namespace;
    this.#lastFunction = fn;
    this.#lastProfile = profile;
    return profile;
  }

  #profileCounts(format: string, status: number): boolean {
    // behind the function-proxy the server's own line has the real status; the proxy's only its own answers
    return !(format === 'go-log' && status === 200 && this.#lastProfile?.behindProxy === true);
  }

  #ignoredPath(path: string): boolean {
    const ignored = this.#ignored;
    if (ignored.length === 0) return false;
    const q = path.indexOf('?');
    const p = q < 0 ? path : path.slice(0, q);
    for (let i = 0; i < ignored.length; i++) if (ignored[i] === p) return true; // a few short strings: no hashing
    return false;
  }
}
