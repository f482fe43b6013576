/**
 * The seam between discovery and a Kubernetes API: list a resource (with the same selectors the watch
 * uses) and open a watch (client-node's `Watch.watch` shape). `kubeClientFromConfig` backs it with
 * @kubernetes/client-node; tests back it with a fake driven by hand.
 */
import { CoreV1Api, CustomObjectsApi, Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';

export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
}

export interface Selectors {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

export interface KubeList {
  metadata?: { resourceVersion?: string | undefined } | undefined;
  items: KubernetesObject[];
}

export type WatchQuery = Record<string, string | number | boolean | undefined>;

/** Same contract as client-node's Watch.watch: events until done(err | null) is called once. */
export type WatchFn = (
  path: string,
  query: WatchQuery,
  onEvent: (type: string, obj: unknown, raw?: unknown) => void,
  onDone: (err: unknown) => void,
) => Promise<AbortController>;

export interface KubeClient {
  list(resource: ResourceRef, namespace: string | undefined, selectors: Selectors): Promise<KubeList>;
  watch: WatchFn;
}

export const podsResource: ResourceRef = { group: '', version: 'v1', plural: 'pods' };

/** The API path of a resource collection: `/api/v1/namespaces/ns/pods`, `/apis/g/v/plural`. */
export function resourcePath(r: ResourceRef, namespace: string | undefined): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${ns}/${r.plural}`;
}

/** The status code of a failed request, from client-node's ApiException (`code`) or Watch (`statusCode`). */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.code === 'number') return e.code;
  return undefined;
}

const PAGE = 500;

/** A KubeClient over @kubernetes/client-node: typed list calls (paged), and its Watch. */
export function kubeClientFromConfig(kc: KubeConfig): KubeClient {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const watcher = new Watch(kc);
  async function page(r: ResourceRef, ns: string | undefined, sel: Selectors, cont: string | undefined): Promise<KubeList & { metadata?: { continue?: string } }> {
    const common = { labelSelector: sel.labelSelector, fieldSelector: sel.fieldSelector, limit: PAGE, _continue: cont };
    if (r.group === '' && r.plural === 'pods') {
      const list = ns === undefined ? await core.listPodForAllNamespaces(common) : await core.listNamespacedPod({ ...common, namespace: ns });
      return list;
    }
    const custom_ = { group: r.group, version: r.version, plural: r.plural, ...common };
    const list: unknown = ns === undefined
      ? await custom.listClusterCustomObject(custom_)
      : await custom.listNamespacedCustomObject({ ...custom_, namespace: ns });
    return list as KubeList & { metadata?: { continue?: string } };
  }
  return {
    async list(r, ns, sel) {
      const items: KubernetesObject[] = [];
      let cont: string | undefined;
      let rv: string | undefined;
      do {
        const p = await page(r, ns, sel, cont);
        items.push(...(p.items ?? []));
        rv ??= p.metadata?.resourceVersion;
        cont = p.metadata?.continue || undefined;
      } while (cont !== undefined);
      return { metadata: { resourceVersion: rv }, items };
    },
    watch: (path, query, onEvent, onDone) => watcher.watch(path, query, onEvent, onDone),
  };
}
