import { StringDecoder } from 'node:string_decoder';
import { MAX_LOG_LINE_CHARS } from './container-log.ts';

/**
 * Cuts a byte stream into lines without their newline. UTF-8 sequences split across chunks are kept
 * whole; a line longer than the limit comes out in pieces; flush() returns the unterminated rest.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #maxChars: number;
  #pending = '';

  constructor(maxLineChars = MAX_LOG_LINE_CHARS) {
    this.#maxChars = maxLineChars;
  }

  push(chunk: Buffer | string): string[] {
    this.#pending += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = this.#pending.indexOf('\n', start);
      if (nl < 0) break;
      lines.push(...this.#cut(this.#pending.slice(start, nl)));
      start = nl + 1;
    }
    this.#pending = this.#pending.slice(start);
    while (this.#pending.length >= this.#maxChars) {
      lines.push(this.#pending.slice(0, this.#maxChars));
      this.#pending = this.#pending.slice(this.#maxChars);
    }
    return lines;
  }

  /** The text after the last newline (undefined when there is none); the splitter is empty after. */
  flush(): string | undefined {
    const rest = this.#pending + this.#decoder.end();
    this.#pending = '';
    return rest.length > 0 ? rest : undefined;
  }

  #cut(line: string): string[] {
    if (line.length <= this.#maxChars) return [line];
    const parts: string[] = [];
    for (let i = 0; i < line.length; i += this.#maxChars) parts.push(line.slice(i, i + this.#maxChars));
    return parts;
  }
}
