import { hash } from 'node:crypto';
import type { Frame, ParsedTrace } from './types.ts';

/** In-app frames that enter a fingerprint, innermost first (deeper callers do not split a group). */
export const FINGERPRINT_FRAMES = 8;

const QUOTED_RE = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`/g;
const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const ADDRESS_RE = /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\[[0-9a-f:]+\](?::\d+)?/gi;
const HEX_RE = /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
const NUMBER_RE = /\d+(?:\.\d+)?/g;

/** The message with quoted values, UUIDs, addresses, hex ids and numbers replaced by placeholders. */
export function maskMessage(message: string): string {
  return message
    .replace(QUOTED_RE, '<str>')
    .replace(UUID_RE, '<uuid>')
    .replace(ADDRESS_RE, '<addr>')
    .replace(HEX_RE, '<hex>')
    .replace(NUMBER_RE, '<n>');
}

function basename(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut >= 0 ? file.slice(cut + 1) : file;
}

/** Holds for every name one of normalizeFunction's replacements changes (most names pass unchanged). */
const NOISE_RE = /^async |\[as |\$\$lambda|0x|Generated/i;

/** Function names without what changes between builds or runs: addresses, lambda ids, async/alias noise. */
export function normalizeFunction(fn: string): string {
  if (!NOISE_RE.test(fn)) return fn;
  return fn
    .replace(/^async /, '')
    .replace(/ \[as [^\]]+\]$/, '')
    .replace(/\$\$Lambda(?:\$\d+)?(?:\/0x[0-9a-f]+)?/gi, () => '$$Lambda')
    .replace(/\/0x[0-9a-f]+/gi, '')
    .replace(/0x[0-9a-f]+/gi, '<hex>')
    .replace(/(GeneratedMethodAccessor|GeneratedConstructorAccessor)\d+/g, '$1');
}

/** The in-app frames a fingerprint is made of, as `file:function`, repeats of one frame collapsed. */
export function fingerprintFrames(frames: readonly Frame[]): string[] {
  const out: string[] = [];
  for (const f of frames) {
    if (f.inApp === false) continue;
    const key = `${basename(f.file)}:${normalizeFunction(f.function)}`;
    if (out[out.length - 1] !== key) out.push(key);
    if (out.length >= FINGERPRINT_FRAMES) break;
  }
  return out;
}

/**
 * fingerprint() of the 252 parsed traces of bench/lib/log-corpus.ts: 2.0-2.3 µs each with
 * createHash().update().digest() and six replacements on every frame's function; 0.9-1.2 µs with the
 * one-shot hash() (the same digest) and NOISE_RE passing most names through unchanged.
 */

/**
 * A short stable id for an exception's group: language, type and normalized in-app frames; where the
 * trace has no in-app frames (a Kubeless Python traceback ends in the runtime's `raise res`), language,
 * type and the message with its variable parts masked.
 */
export function fingerprint(trace: ParsedTrace): string {
  const frames = fingerprintFrames(trace.frames);
  const basis = frames.length > 0 ? frames.join('\n') : `message:${maskMessage(trace.message)}`;
  return hash('sha1', `${trace.language}\n${trace.type}\n${basis}`).slice(0, 16);
}
