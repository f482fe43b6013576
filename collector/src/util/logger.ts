import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Force pretty (true) or JSON (false) output; default: pretty when stderr is a TTY. */
  pretty?: boolean;
  /** Where to write; default stderr, so stdout stays for command output. */
  destination?: NodeJS.WritableStream;
}

/**
 * The collector's own logs: JSON lines by default, human-readable on a terminal. Fields that may carry
 * credentials are redacted before anything is written.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env['FNSCOPE_LOG_LEVEL'] ?? 'info';
  const dest = opts.destination ?? process.stderr;
  const usePretty = opts.pretty ?? (dest === process.stderr && process.stderr.isTTY === true);
  const redact = {
    paths: ['token', 'authorization', 'headers.authorization', 'req.headers.authorization', '*.token', '*.password', '*.bearerToken'],
    censor: '[redacted]',
  };
  if (usePretty) {
    return pino({ level, redact }, pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino({ level, redact }, dest);
}

/** A logger that discards everything: for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
