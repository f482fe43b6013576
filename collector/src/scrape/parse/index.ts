/** Exposition parsing: Prometheus text 0.0.4 and OpenMetrics 1.0 text. See docs/exposition-parser.md. */
export { ExpositionParser } from './parser.ts';
export { parseExposition, detachString } from './parse-all.ts';
export type { ParseResult } from './parse-all.ts';
export { EXPOSITION_ACCEPT_HEADER, formatFromContentType } from './content-type.ts';
export { escapeLabelValue } from './escape.ts';
export type { ExpositionFormat, FamilyMetadata, MetricType, ParseError, ParseOptions, ParsedSample, SampleRole } from './types.ts';
