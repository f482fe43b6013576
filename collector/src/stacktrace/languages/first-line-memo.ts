/**
 * What a parser reads from the first line of a block (its layout), kept for the block the assembler is
 * growing: continues() is asked once per line of the block, and each call read the first line again
 * with regular expressions. Assembling the corpus traces of bench/lib/log-corpus.ts, per trace line:
 * ruby 850-930 ns before, 690-720 after; php 590-690, 470-530; dotnet 590, 555-580 (nodejs, which
 * only tests its first line for a `file:line` header, did not change). One entry, checked against the
 * block and its first line: another block (another stream's, or an array reused) is read afresh. A
 * WeakMap by block cost as much as it saved.
 */
export class FirstLineMemo<T, C = undefined> {
  readonly #read: (first: string, context: C) => T;
  /**
   * Passed to read: a parser's own state, where read needs it (a closure per parser instead would give
   * the call in of() a new target for every parser, and the optimised code of() a reason to be dropped).
   */
  readonly #context: C;
  #block: readonly string[] | null = null;
  #first = '';
  #value: T | undefined;

  constructor(read: (first: string, context: C) => T, context?: C) {
    this.#read = read;
    this.#context = context as C;
  }

  /** read(first), where first is block[0]; computed once while the same block grows. */
  of(block: readonly string[], first: string): T {
    if (block === this.#block && first === this.#first) return this.#value as T;
    const value = this.#read(first, this.#context);
    this.#block = block;
    this.#first = first;
    this.#value = value;
    return value;
  }
}
