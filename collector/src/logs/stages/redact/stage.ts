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
import { marker, separatorAfter, type RedactionRule, type RedactionTally } from './rule.ts';

export const DEFAULT_MAX_REDACT_LENGTH = 256 * 1024;
const OVERLONG_MARK = marker('overlong');

export interface RedactStageOptions {
  /** Defaults to the default presets (resolveRedactionRules()). */
  rules?: readonly RedactionRule[];
  maxLength?: number;
}

/**
 * Triggers merged into the one pre-filter: those without flags, and without digit classes (which run
 * faster on their own: merged, `\d` alternatives took the pre-filter from 90 to 200 ns per line).
 */
function mergeable(trigger: RegExp): boolean {
  return trigger.flags === '' && !/\\[dD]/.test(trigger.source);
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
    // The lines of bench/log-pipeline.ts, default rules: with the triggers as literals (`secret`,
    // `token`, `passw`, …) merged case-insensitively, the pre-filter took 126 ns per line and redact()
    // 195-210; with one look-behind from the separators for all the rules' keys and case-sensitive
    // literals elsewhere, 83 ns and 133 (a look-behind per keyed rule, merged, took 113 ns).
    const keyed = this.#rules.filter((r) => r.keys !== undefined);
    const merged = this.#rules.filter((r) => r.keys === undefined && r.trigger !== null && mergeable(r.trigger));
    this.#unmerged = this.#rules.filter((r) => !merged.includes(r) && !keyed.includes(r));
    const parts = merged.map((r) => r.trigger!.source);
    if (keyed.length > 0) parts.push(separatorAfter(keyed.map((r) => `(?:${r.keys!})`).join('|')).source);
    this.#prefilter = parts.length === 0 ? null : new RegExp(parts.map((p) => `(?:${p})`).join('|'));
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
    // one pre-filter for the rules with merged triggers: most lines hold no secret and stop there
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
