import type { FunctionInfo } from '../discovery/types.ts';
import type { Inventory, InventoryFunction } from '../generate/index.ts';

/** The fields of a discovered function that generation reads. */
export type DiscoveredFunction = Pick<FunctionInfo, 'namespace' | 'name' | 'runtime' | 'handler' | 'annotations'>;

/**
 * The generators' inventory from the collector's discovery inventory: one entry per namespace/name
 * (a function seen by two providers counts once, the first one wins), sorted by namespace and name.
 */
export function inventoryOf(functions: readonly DiscoveredFunction[]): Inventory {
  const byKey = new Map<string, InventoryFunction>();
  for (const f of functions) {
    const key = `${f.namespace}/${f.name}`;
    if (byKey.has(key)) continue;
    byKey.set(key, { namespace: f.namespace, name: f.name, runtime: f.runtime ?? '', handler: f.handler ?? '', annotations: { ...f.annotations } });
  }
  const list = [...byKey.values()];
  list.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { functions: list };
}
