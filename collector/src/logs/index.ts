/** The log pipeline's public surface. */
export type { AccessFormat, AccessRecord, LogLine, LogStream, Sequence, Stage, StreamIdentity } from './types.ts';
export {
  AccessLogStage,
  createDecodeCounters,
  createSequence,
  CriDecoder,
  DEFAULT_IGNORED_PATHS,
  DEFAULT_MAX_LINE_LENGTH,
  DEFAULT_MAX_REDACT_LENGTH,
  describeRedactionPresets,
  methodLabel,
  parseAnyAccess,
  parseRedactFlag,
  RedactStage,
  resolveRedactionRules,
  runtimeFamily,
  StagePipeline,
} from './stages/index.ts';
export type {
  AccessCounters,
  AccessLogStageOptions,
  CriDecoderOptions,
  CustomRedactionRule,
  DecodeCounters,
  LogFormat,
  RedactionConfig,
  RedactionRule,
  RedactStageOptions,
  ResponseMetrics,
  RuntimeFamily,
} from './stages/index.ts';
