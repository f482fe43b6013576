import { ExpositionParser } from './parser.ts';
import type { FamilyMetadata, ParseError, ParseOptions, ParsedSample } from './types.ts';

export interface ParseResult {
  samples: ParsedSample[];
  errors: ParseError[];
  metadata: Map<string, FamilyMetadata>;
}

/**
 * Parse a whole body into sample objects: the convenient form for tests, tools and small bodies.
 * The scrape loop uses `ExpositionParser` directly, which allocates nothing per sample.
 */
export function parseExposition(text: string, opts: ParseOptions = {}): ParseResult {
  const p = new ExpositionParser(opts).reset(text);
  const samples: ParsedSample[] = [];
  while (p.next()) {
    samples.push({
      name: p.name,
      labels: p.labels(),
      value: p.value,
      timestampMs: p.timestampMs,
      family: p.family,
      type: p.type,
      role: p.role,
      line: p.line,
    });
  }
  return { samples, errors: p.errors, metadata: p.metadata };
}

/**
 * A copy of `s` that does not keep the string it was sliced from alive. Strings the parser hands
 * out are slices of the scraped body; copy the ones kept across scrapes (cache keys, label values).
 */
export function detachString(s: string): string {
  // Slices shorter than 13 characters are already copies in V8; longer ones are flattened copies of
  // a fresh concatenation, which references nothing but its own characters.
  return s.length < 13 ? s : (' ' + s).slice(1);
}
