import type { CompiledMatcher } from './matchers.ts';
import type { MemSeries } from './series.ts';

/**
 * The inverted index: label name → label value → series holding that pair, in id order (series are
 * added in creation order, so each list stays sorted without sorting).
 */
export class Postings {
  readonly #index = new Map<string, Map<string, MemSeries[]>>();
  /** Every live series, in id order. */
  #all: MemSeries[] = [];
  #entries = 0;

  /** Number of (series, label pair) entries: for memory accounting. */
  get entries(): number {
    return this.#entries;
  }

  get size(): number {
    return this.#all.length;
  }

  /** Number of distinct label names / values (for stats). */
  get labelNames(): number {
    return this.#index.size;
  }

  all(): readonly MemSeries[] {
    return this.#all;
  }

  add(s: MemSeries): void {
    this.#all.push(s);
    const l = s.labels;
    for (let i = 0; i < l.length; i += 2) {
      let values = this.#index.get(l[i]!);
      if (values === undefined) {
        values = new Map();
        this.#index.set(l[i]!, values);
      }
      const list = values.get(l[i + 1]!);
      if (list === undefined) values.set(l[i + 1]!, [s]);
      else list.push(s);
      this.#entries++;
    }
  }

  /** Drop the series marked deleted from every list touching their labels. */
  removeDeleted(removed: readonly MemSeries[]): void {
    if (removed.length === 0) return;
    this.#all = this.#all.filter((s) => !s.deleted);
    const touched = new Set<MemSeries[]>();
    for (const s of removed) {
      const l = s.labels;
      for (let i = 0; i < l.length; i += 2) {
        const list = this.#index.get(l[i]!)?.get(l[i + 1]!);
        if (list !== undefined) touched.add(list);
      }
    }
    for (const list of touched) {
      let w = 0;
      for (let r = 0; r < list.length; r++) if (!list[r]!.deleted) list[w++] = list[r]!;
      this.#entries -= list.length - w;
      list.length = w;
    }
    // Forget empty values and names.
    for (const s of removed) {
      const l = s.labels;
      for (let i = 0; i < l.length; i += 2) {
        const values = this.#index.get(l[i]!);
        if (values === undefined) continue;
        if (values.get(l[i + 1]!)?.length === 0) values.delete(l[i + 1]!);
        if (values.size === 0) this.#index.delete(l[i]!);
      }
    }
  }

  /** Values present for a label name (unsorted). */
  values(name: string): string[] {
    return [...(this.#index.get(name)?.keys() ?? [])];
  }

  /**
   * Series matching every matcher, in id order. Candidates come from the postings of the matchers
   * that exclude the empty string (intersected, the smallest first); every candidate is then
   * checked against all matchers, which gives exact Prometheus semantics for missing labels.
   */
  select(matchers: readonly CompiledMatcher[]): MemSeries[] {
    const lists: MemSeries[][] = [];
    for (const m of matchers) {
      if (m.matchesEmpty) continue;
      lists.push(this.#postingsFor(m));
    }
    let candidates: readonly MemSeries[];
    if (lists.length === 0) candidates = this.#all;
    else {
      lists.sort((a, b) => a.length - b.length);
      candidates = lists.reduce((acc, l) => intersect(acc, l));
    }
    const out: MemSeries[] = [];
    outer: for (const s of candidates) {
      for (const m of matchers) if (!m.matches(valueOf(s, m.name))) continue outer;
      out.push(s);
    }
    return out;
  }

  #postingsFor(m: CompiledMatcher): MemSeries[] {
    const values = this.#index.get(m.name);
    if (values === undefined) return [];
    const set = m.setMatches;
    const lists: MemSeries[][] = [];
    if (set !== undefined) {
      for (const v of set) {
        const l = values.get(v);
        if (l !== undefined) lists.push(l);
      }
    } else {
      for (const [v, l] of values) if (m.matches(v)) lists.push(l);
    }
    if (lists.length === 1) return lists[0]!;
    return mergeById(lists);
  }
}

function valueOf(s: MemSeries, name: string): string {
  const l = s.labels;
  for (let i = 0; i < l.length; i += 2) if (l[i] === name) return l[i + 1]!;
  return '';
}

function intersect(a: readonly MemSeries[], b: readonly MemSeries[]): MemSeries[] {
  const out: MemSeries[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!.id;
    const y = b[j]!.id;
    if (x === y) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

function mergeById(lists: MemSeries[][]): MemSeries[] {
  const out: MemSeries[] = [];
  for (const l of lists) for (const s of l) out.push(s);
  out.sort((a, b) => a.id - b.id);
  return out;
}
