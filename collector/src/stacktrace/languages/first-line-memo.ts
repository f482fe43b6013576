/**
 * What a parser reads from the first line of a block (its layout), kept for the block the assembler is
 * growing: continues() is asked once per line of the block, and each call read the first line again
 * with regular expressions. Assembling the corpus traces of bench/lib/log-corpus.ts, per trace line:
 * ruby 850-930 ns before, 690-720 after; php 590-690, 470-530; dotnet 590, 555-580 (nodejs, which
 * only tests its first line for a `file:line` header, did not change). One entry, checked against the
 * block and its first line: another block (another stream's, or an array reused) is read afresh. A
 * WeakMap by block cost as much as it saved.
 */
export class FirstLineMemo<T> {
  readonly #read: (first: string) => T;
  #block: readonly string[] | null = null;
  #first = '';
  #value: T | undefined;

  constructor(read: (first: string) => T) {
    this.#read = read;
  }

  /** read(first), where first is block[0]; computed once while the same block grows. */
  of(block: readonly string[], first: string): T {
    if (block === this.#block && first === this.#first) return this.#value as T;
    const value = this.#read(first);
    this.#block = block;
    this.#first = first;
    this.#value = value;
    return value;
  }
}
