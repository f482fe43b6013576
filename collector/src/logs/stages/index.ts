export { AccessLogStage, DEFAULT_IGNORED_PATHS, accessProfile, methodLabel, parseAnyAccess, parseBottleAccess, parseGoLogAccess, parseMorganAccess, parseNginxAccess, parsePhpFpmAccess, parseRackAccess, runtimeFamily } from './access/index.ts';
export type { AccessCounters, AccessLogStageOptions, AccessProfile, ResponseMetrics, RuntimeFamily } from './access/index.ts';
export { createDecodeCounters, CriDecoder, DEFAULT_MAX_LINE_LENGTH } from './cri.ts';
export type { CriDecoderOptions, DecodeCounters, LogFormat } from './cri.ts';
export { StagePipeline } from './pipeline.ts';
export { DEFAULT_MAX_REDACT_LENGTH, describeRedactionPresets, parseRedactFlag, RedactStage, resolveRedactionRules } from './redact/index.ts';
export type { CustomRedactionRule, RedactionConfig, RedactionRule, RedactStageOptions } from './redact/index.ts';
export { createSequence } from './sequence.ts';
export { TimestampParser } from './timestamp.ts';
