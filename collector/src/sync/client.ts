/**
 * The seam between sync and a Kubernetes API: apply an object (server-side apply), list the objects of
 * a kind that carry a label, delete one. `kubeSyncClient` backs it with @kubernetes/client-node; tests
 * back it with a fake.
 */
import { KubernetesObjectApi, PatchStrategy, type KubeConfig } from '@kubernetes/client-node';
import { ErrorCodes, FnscopeError } from '../util/errors.ts';
import type { KindRef, KubeObject } from './objects.ts';

/** The field manager sync's server-side applies use. */
export const FIELD_MANAGER = 'fnscope';

/** An object as listed: enough to decide whether sync still wants it. */
export interface ListedObject {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface SyncClient {
  /** Create or update the object (server-side apply, forcing ownership of the fields it sets). */
  apply(obj: KubeObject): Promise<void>;
  /** Objects of a kind in a namespace that match a label selector. */
  list(ref: KindRef, namespace: string, labelSelector: string): Promise<ListedObject[]>;
  /** Delete an object; one already gone is not an error. */
  delete(ref: KindRef, namespace: string, name: string): Promise<void>;
}

/** Thrown when the API does not serve a kind at all (e.g. no prometheus-operator CRDs installed). */
export class KindNotServedError extends FnscopeError {
  readonly ref: KindRef;
  constructor(ref: KindRef, detail: string) {
    super(ErrorCodes.KUBE_REQUEST, `the cluster does not serve ${ref.kind} (${ref.apiVersion}): ${detail}`);
    this.name = 'KindNotServedError';
    this.ref = ref;
  }
}

/** The HTTP status of a failed client-node request, if it has one. */
export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A short message from a client-node error: the API's Status message when there is one. */
function message(err: unknown): string {
  const body = (err as { body?: unknown } | null)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const m = (parsed as { message?: unknown } | undefined)?.message;
  const code = statusCodeOf(err);
  if (typeof m === 'string') return code === undefined ? m : `${code}: ${m}`;
  return err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
}

function notServed(err: unknown): boolean {
  return err instanceof Error && /Unrecognized API version and kind|Failed to fetch resource metadata/.test(err.message);
}

function wrap(ref: KindRef, what: string, err: unknown): Error {
  if (notServed(err)) return new KindNotServedError(ref, message(err));
  return new FnscopeError(ErrorCodes.KUBE_REQUEST, `${what}: ${message(err)}`);
}

/** A SyncClient over @kubernetes/client-node's KubernetesObjectApi (discovery of the kind's resource, cached). */
export function kubeSyncClient(kc: KubeConfig): SyncClient {
  const api = KubernetesObjectApi.makeApiClient(kc);
  return {
    async apply(obj) {
      try {
        await api.patch(structuredClone(obj), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      } catch (e) {
        throw wrap(obj, `applying ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`, e);
      }
    },
    async list(ref, namespace, labelSelector) {
      const out: ListedObject[] = [];
      let cont: string | undefined;
      try {
        do {
          const page = await api.list(ref.apiVersion, ref.kind, namespace, undefined, undefined, undefined, undefined, labelSelector, 500, cont);
          for (const o of page.items) {
            out.push({ name: o.metadata?.name ?? '', labels: { ...o.metadata?.labels }, annotations: { ...o.metadata?.annotations } });
          }
          cont = page.metadata?._continue || undefined;
        } while (cont !== undefined);
      } catch (e) {
        throw wrap(ref, `listing ${ref.kind} in ${namespace}`, e);
      }
      return out;
    },
    async delete(ref, namespace, name) {
      try {
        await api.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name, namespace } });
      } catch (e) {
        if (statusCodeOf(e) === 404) return;
        throw wrap(ref, `deleting ${ref.kind} ${namespace}/${name}`, e);
      }
    },
  };
}
