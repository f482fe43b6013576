export type { Frame, ExceptionCause, ParsedTrace, StartKind, StartShape, TraceParser, Language } from './types.ts';
export { MultilineAssembler, DEFAULT_MAX_LINES, DEFAULT_MAX_WAIT_MS, DEFAULT_SETTLE_MS } from './assembler.ts';
export type { AssemblerOptions, AssemblerSink, TraceEvent } from './assembler.ts';
export { isLogHeader } from './log-header.ts';
export { fingerprint, fingerprintFrames, maskMessage, normalizeFunction, FINGERPRINT_FRAMES } from './fingerprint.ts';
export { parseCriLine } from './cri-line.ts';
export type { CriLine } from './cri-line.ts';
export { TraceExtractor, toRecord, DEFAULT_MAX_PARTIAL } from './trace-extractor.ts';
export type { ExceptionRecord, TraceExtractorOptions } from './trace-extractor.ts';
export {
  createParsers, LANGUAGES, PythonTraceParser, NodejsTraceParser, JavaTraceParser, GoTraceParser,
  RubyTraceParser, PhpTraceParser, DotnetTraceParser, pythonInApp, nodejsInApp, javaInApp, goInApp,
} from './languages/index.ts';
