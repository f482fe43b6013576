/** Which function key each object (pod, trigger) points at, both ways. Maintained by informer callbacks. */
export class KeyIndex {
  #itemToKey = new Map<string, string>();
  #keyToItems = new Map<string, Set<string>>();

  /** Point item at key (undefined: at nothing); returns the key it pointed at before. */
  set(item: string, key: string | undefined): string | undefined {
    const old = this.#itemToKey.get(item);
    if (old === key) return old;
    if (old !== undefined) {
      const s = this.#keyToItems.get(old);
      s?.delete(item);
      if (s?.size === 0) this.#keyToItems.delete(old);
      this.#itemToKey.delete(item);
    }
    if (key !== undefined) {
      this.#itemToKey.set(item, key);
      let s = this.#keyToItems.get(key);
      if (!s) this.#keyToItems.set(key, (s = new Set()));
      s.add(item);
    }
    return old;
  }

  items(key: string): readonly string[] {
    return [...(this.#keyToItems.get(key) ?? [])];
  }

  keys(): string[] {
    return [...this.#keyToItems.keys()];
  }

  clear(): void {
    this.#itemToKey.clear();
    this.#keyToItems.clear();
  }
}
