import type { ListedObject, SyncClient } from '../../../collector/src/sync/client.ts';
import type { KindRef, KubeObject } from '../../../collector/src/sync/objects.ts';

/** An in-memory SyncClient: objects by namespace/kind/name, a call log, and failures on demand. */
export class FakeSyncClient implements SyncClient {
  readonly objects = new Map<string, KubeObject>();
  readonly calls: string[] = [];
  /** When set, every call whose log entry matches fails with this error. */
  fail: { match: RegExp; error: Error } | undefined;

  #check(entry: string): void {
    this.calls.push(entry);
    if (this.fail?.match.test(entry)) throw this.fail.error;
  }

  apply(obj: KubeObject): Promise<void> {
    this.#check(`apply ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`);
    this.objects.set(`${obj.metadata.namespace}/${obj.kind}/${obj.metadata.name}`, structuredClone(obj));
    return Promise.resolve();
  }

  list(ref: KindRef, namespace: string, labelSelector: string): Promise<ListedObject[]> {
    this.#check(`list ${ref.kind} ${namespace} ${labelSelector}`);
    const want = labelSelector.split(',').map((p) => p.split('=') as [string, string]);
    const out: ListedObject[] = [];
    for (const o of this.objects.values()) {
      if (o.kind !== ref.kind || o.metadata.namespace !== namespace) continue;
      if (!want.every(([k, v]) => o.metadata.labels[k] === v)) continue;
      out.push({ name: o.metadata.name, labels: { ...o.metadata.labels }, annotations: { ...o.metadata.annotations } });
    }
    return Promise.resolve(out);
  }

  delete(ref: KindRef, namespace: string, name: string): Promise<void> {
    this.#check(`delete ${ref.kind} ${namespace}/${name}`);
    this.objects.delete(`${namespace}/${ref.kind}/${name}`);
    return Promise.resolve();
  }

  /** Names of the objects of a kind in a namespace, sorted. */
  names(kind: string, namespace: string): string[] {
    return [...this.objects.values()].filter((o) => o.kind === kind && o.metadata.namespace === namespace).map((o) => o.metadata.name).sort();
  }
}
