import type { Language, TraceParser } from '../types.ts';
import { PythonTraceParser, pythonInApp } from './python.ts';
import { NodejsTraceParser, nodejsInApp } from './nodejs.ts';
import { JavaTraceParser, javaInApp } from './java.ts';
import { GoTraceParser, goInApp } from './go.ts';
import { RubyTraceParser } from './ruby.ts';
import { PhpTraceParser } from './php.ts';
import { DotnetTraceParser } from './dotnet.ts';

export {
  PythonTraceParser, pythonInApp, NodejsTraceParser, nodejsInApp, JavaTraceParser, javaInApp, GoTraceParser, goInApp,
  RubyTraceParser, PhpTraceParser, DotnetTraceParser,
};

export const LANGUAGES: readonly Language[] = ['python', 'nodejs', 'java', 'go', 'ruby', 'php', 'dotnet'];

/**
 * One parser per language, in the order the assembler asks them whether a line starts a trace (the
 * first 'start' wins; candidates are kept until a continuation line picks one). Parsers are stateless,
 * so one set can serve every stream.
 */
export function createParsers(languages: readonly Language[] = LANGUAGES): TraceParser[] {
  const all: TraceParser[] = [
    new PythonTraceParser(), new JavaTraceParser(), new GoTraceParser(), new NodejsTraceParser(),
    new RubyTraceParser(), new PhpTraceParser(), new DotnetTraceParser(),
  ];
  return all.filter((p) => languages.includes(p.language));
}
