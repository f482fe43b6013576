/**
 * Which access parsers to try for a function, from its Kubeless runtime id (`python3.8`, `nodejs14`,
 * `go1.14`, `ruby2.6`, `php7.4`, ...). An unknown runtime tries every format.
 */
import type { AccessRecord } from '../../types.ts';
import { parseAnyAccess } from './any.ts';
import { parseBottleAccess } from './bottle.ts';
import { goLogCandidate } from './gates.ts';
import { parseGoLogAccess } from './golog.ts';
import { parseMorganAccess } from './morgan.ts';
import { parseNginxAccess } from './nginx.ts';
import { parseRackAccess } from './rack.ts';

export type RuntimeFamily = 'python' | 'nodejs' | 'go' | 'ruby' | 'php' | 'proxy' | 'unknown';

export interface AccessProfile {
  readonly family: RuntimeFamily;
  parse(text: string): AccessRecord | null;
  /**
   * True when the function runs behind the Kubeless function-proxy and its server prints access lines
   * of its own (ruby, php). The proxy answers 200 whatever the function's status, so its `go-log` lines
   * count only when the proxy itself answered otherwise (408 on timeout, 500 when the function is down).
   */
  readonly behindProxy: boolean;
}

export function runtimeFamily(runtime: string | null | undefined): RuntimeFamily {
  if (runtime === null || runtime === undefined) return 'unknown';
  const r = runtime.toLowerCase();
  if (r.startsWith('python')) return 'python';
  if (r.startsWith('nodejs') || r.startsWith('node')) return 'nodejs';
  if (r.startsWith('golang') || r.startsWith('go')) return 'go';
  if (r.startsWith('ruby')) return 'ruby';
  if (r.startsWith('php')) return 'php';
  if (r.startsWith('ballerina')) return 'proxy';
  return 'unknown';
}

function proxied(parse: (text: string) => AccessRecord | null): (text: string) => AccessRecord | null {
  return (text) => (goLogCandidate(text) ? (parseGoLogAccess(text) ?? parse(text)) : parse(text));
}

const PROFILES: Readonly<Record<RuntimeFamily, AccessProfile>> = {
  python: { family: 'python', parse: parseBottleAccess, behindProxy: false },
  nodejs: { family: 'nodejs', parse: parseMorganAccess, behindProxy: false },
  go: { family: 'go', parse: parseGoLogAccess, behindProxy: false },
  ruby: { family: 'ruby', parse: proxied(parseRackAccess), behindProxy: true },
  php: { family: 'php', parse: proxied(parseNginxAccess), behindProxy: true },
  proxy: { family: 'proxy', parse: parseGoLogAccess, behindProxy: false },
  unknown: { family: 'unknown', parse: parseAnyAccess, behindProxy: false },
};

export function accessProfile(runtime: string | null | undefined): AccessProfile {
  return PROFILES[runtimeFamily(runtime)];
}
