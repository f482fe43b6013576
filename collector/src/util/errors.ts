/**
 * Typed errors with stable codes. Every code is listed in docs/errors.md (a test checks that).
 * Codes are grouped by stage: FNS_CLI_*, FNS_SANDBOX_*, FNS_DISCOVERY_*, FNS_SCRAPE_*, FNS_STORE_*,
 * FNS_LOGS_*, FNS_PARSE_*, FNS_API_*, FNS_GENERATE_*.
 */
export const ErrorCodes = {
  /** Bad command-line usage: unknown command or flag, missing argument. Exit code 2. */
  CLI_USAGE: 'FNS_CLI_USAGE',
  /** A value in a configuration file or flag is invalid. */
  CONFIG_INVALID: 'FNS_CONFIG_INVALID',
  /** The sandbox could not start (port in use, runtime missing). */
  SANDBOX_START: 'FNS_SANDBOX_START',
  /** A Function uses a runtime the sandbox cannot run on this machine. */
  SANDBOX_RUNTIME_UNAVAILABLE: 'FNS_SANDBOX_RUNTIME_UNAVAILABLE',
  /** A request to the Kubernetes API (or the sandbox) failed. */
  KUBE_REQUEST: 'FNS_KUBE_REQUEST',
  /** A discovery file (file_sd YAML/JSON) could not be parsed; the last good state is kept. */
  DISCOVERY_FILE_INVALID: 'FNS_DISCOVERY_FILE_INVALID',
  /** A request to a running collector failed. */
  SERVER_REQUEST: 'FNS_SERVER_REQUEST',
  /** A series selector or label matcher is invalid (bad regex, empty selector). */
  STORE_BAD_MATCHER: 'FNS_STORE_BAD_MATCHER',
  /** The API would listen beyond loopback with no authentication configured. */
  API_AUTH_REQUIRED: 'FNS_API_AUTH_REQUIRED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | `FNS_${string}`;

export class FnscopeError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FnscopeError';
    this.code = code;
    this.details = options?.details;
  }
}

/** Bad usage of the CLI: the command exits with status 2. */
export class UsageError extends FnscopeError {
  constructor(message: string) {
    super(ErrorCodes.CLI_USAGE, message);
    this.name = 'UsageError';
  }
}

export function isFnscopeError(e: unknown): e is FnscopeError {
  return e instanceof FnscopeError;
}

/** A one-line description of any thrown value, for logs and CLI output. */
export function describeError(e: unknown): string {
  if (e instanceof FnscopeError) return `${e.code}: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}
