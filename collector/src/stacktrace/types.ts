/** Shared shapes of the stack-trace stage: every language parser implements TraceParser. */

export type Language = 'python' | 'nodejs' | 'java' | 'go' | 'ruby' | 'php' | 'dotnet';

export interface Frame {
  file: string;
  /** 1-based line number, null where the trace prints none. */
  line: number | null;
  function: string;
  column?: number;
  /** False for frames of the runtime, the standard library or dependencies. */
  inApp?: boolean;
}

export interface ExceptionCause {
  type: string;
  message: string;
}

/** One parsed exception, before a fingerprint is attached. */
export interface ParsedTrace {
  language: Language;
  type: string;
  message: string;
  /** The primary exception's frames, innermost first. */
  frames: Frame[];
  /** Chained exceptions (cause, inner, "during handling", suppressed), outermost link first. */
  causes: ExceptionCause[];
}

/** How sure a parser is that a line begins a trace. */
export type StartKind =
  /** Only ever begins a trace, e.g. "Traceback (most recent call last):" or "panic: ". */
  | 'start'
  /** Might begin one, confirmed only if the next line continues it (e.g. "Error: boom" then "    at f"). */
  | 'candidate'
  | 'no';

/**
 * One shape a line that begins a trace may have: every condition given must hold (none given: any line).
 * Characters are UTF-16 code units; any one at or above U+0080 in a set stands for all of those.
 */
export interface StartShape {
  /** The characters the line may begin with. */
  first?: string;
  /** The characters the line may end with. */
  last?: string;
  /** Text the line holds somewhere. */
  contains?: string;
  /** Where `contains` sits (a UTF-16 index), when its place is fixed: tested there, not searched for. */
  at?: number;
}

export interface TraceParser {
  readonly language: Language;
  /**
   * Optional: the shapes of the lines this parser's startKind may answer other than 'no' for. The
   * assembler tests every parser's shapes together, once per line, and asks only the parsers whose
   * shapes the line has: most lines then cost no startKind call at all. Absent: always asked.
   */
  readonly startShapes?: readonly StartShape[];
  /** Could this line begin a trace of this language? */
  startKind(line: string): StartKind;
  /** Given the block so far (its first line was a start or candidate), does line belong to it? */
  continues(block: readonly string[], line: string): boolean;
  /** Parse a complete block; null when it turns out not to be a trace. */
  parse(block: readonly string[]): ParsedTrace | null;
}
