/**
 * The redaction stage: runs the chosen rules over each line once, before anything else reads it, so that
 * what is stored, streamed, counted or printed never holds the secrets those rules match.
 *
 * Lines longer than `maxLength` are redacted up to that length and the rest is replaced by
 * `[REDACTED:overlong]`: every rule is linear, and this bounds the work per line.
 */
import type { LogLine, Stage } from '../../types.ts';
import { resolveRedactionRules } from './config.ts';
import { blockEndAfter, MAX_PRIVATE_KEY_LINES, openingBlockAt, PRIVATE_KEY_MARK } from './private-key.ts';
import { marker, type RedactionRule, type RedactionTally } from './rule.ts';

export const DEFAULT_MAX_REDACT_LENGTH = 256 * 1024;
const OVERLONG_MARK = marker('overlong');

export interface RedactStageOptions {
  /** Defaults to the default presets (resolveRedactionRules()). */
  rules?: readonly RedactionRule[];
  maxLength?: number;
}

/** A trigger made of literal text only (no character classes): these are merged into one pre-filter. */
function isLiteralTrigger(trigger: RegExp): boolean {
  return !/\\[dDsSwWbB]|\[/.test(trigger.source);
}

function streamKey(line: LogLine): string {
  return `${line.namespace}\u0000${line.pod}\u0000${line.container}\u0000${line.stream}`;
}

export class RedactStage implements Stage {
  readonly name = 'redact';
  readonly #rules: readonly RedactionRule[];
  readonly #max: number;
  readonly #keyBlocks: boolean;
  readonly #counts = new Map<string, number>();
  /** Streams inside a multi-line private key → lines left before the block is given up. */
  readonly #openBlocks = new Map<string, number>();
  readonly #tally: RedactionTally;
  /** Did the pre-filter match the line redacted last? */
  #lastMatched = false;
  readonly #prefilter: RegExp | null;
  /** The rules not in the pre-filter, in order: the only ones to try when it finds nothing. */
  readonly #unmerged: readonly RedactionRule[];

  constructor(options: RedactStageOptions = {}) {
    this.#rules = (options.rules ?? resolveRedactionRules()).slice();
    this.#max = Math.max(1, Math.floor(options.maxLength ?? DEFAULT_MAX_REDACT_LENGTH));
    this.#keyBlocks = this.#rules.some((r) => r.name === 'private-key');
    // literal triggers merge well into one regex; character-class ones (digits) run faster on their own
    const literal = this.#rules.filter((r) => r.trigger !== null && isLiteralTrigger(r.trigger));
    this.#unmerged = this.#rules.filter((r) => !literal.includes(r));
    this.#prefilter = literal.length === 0 ? null : new RegExp(literal.map((r) => `(?:${r.trigger!.source})`).join('|'), 'i');
    this.#tally = { add: (rule) => this.#counts.set(rule, (this.#counts.get(rule) ?? 0) + 1) };
  }

  /** The names of the rules that run, in order. */
  get ruleNames(): string[] {
    return this.#rules.map((r) => r.name);
  }

  /** Replacements made so far, by rule name (`overlong` for cut lines). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  process(line: LogLine): LogLine | null {
    let text = line.text;
    if (this.#openBlocks.size > 0) text = this.#insideBlock(line, text);
    text = this.#redact(text);
    if (this.#keyBlocks && this.#lastMatched) {
      const at = openingBlockAt(text);
      if (at >= 0) {
        text = text.slice(0, at) + PRIVATE_KEY_MARK;
        this.#tally.add('private-key');
        this.#openBlocks.set(streamKey(line), MAX_PRIVATE_KEY_LINES);
      }
    }
    line.text = text;
    return line;
  }

  /** Redact one piece of text on its own (no state across lines). */
  redact(text: string): string {
    return this.#redact(text);
  }

  #redact(text: string): string {
    let out = text;
    let tail = '';
    if (out.length > this.#max) {
      out = out.slice(0, this.#max);
      tail = OVERLONG_MARK;
      this.#tally.add('overlong');
    }
    // one pre-filter for the rules with literal triggers: most lines hold no secret and stop there
    // (an opening private-key line always passes: its trigger is in the pre-filter)
    this.#lastMatched = this.#prefilter !== null && this.#prefilter.test(out);
    const rules = this.#lastMatched ? this.#rules : this.#unmerged;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const trigger = rule.trigger;
      if (trigger === null || trigger.test(out)) out = rule.apply(out, this.#tally);
    }
    return tail === '' ? out : out + tail;
  }

  endStream(namespace: string, pod: string, container: string): void {
    if (this.#openBlocks.size === 0) return;
    for (const stream of ['stdout', 'stderr', 'combined']) {
      this.#openBlocks.delete(`${namespace}\u0000${pod}\u0000${container}\u0000${stream}`);
    }
  }

  #insideBlock(line: LogLine, text: string): string {
    const key = streamKey(line);
    const left = this.#openBlocks.get(key);
    if (left === undefined) return text;
    this.#tally.add('private-key');
    const end = blockEndAfter(text);
    if (end >= 0) {
      this.#openBlocks.delete(key);
      return PRIVATE_KEY_MARK + text.slice(end);
    }
    if (left <= 1) this.#openBlocks.delete(key);
    else this.#openBlocks.set(key, left - 1);
    return PRIVATE_KEY_MARK;
  }
}
