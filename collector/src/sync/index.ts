export { FIELD_MANAGER, KindNotServedError, kubeSyncClient, statusCodeOf } from './client.ts';
export type { ListedObject, SyncClient } from './client.ts';
export { inventoryOf } from './inventory.ts';
export type { DiscoveredFunction } from './inventory.ts';
export {
  CONFIGMAP,
  FUNCTION_ANNOTATION,
  KIND_OF,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  PROMETHEUS_RULE,
  SYNC_KINDS,
  desiredObjects,
  objectDigest,
  objectKey,
  parseSyncKinds,
} from './objects.ts';
export type { KindRef, KubeObject, SyncKind } from './objects.ts';
export { GeneratedSync, MANAGED_SELECTOR, SYNC_DEFAULTS } from './syncer.ts';
export type { GeneratedSyncOptions, SyncState } from './syncer.ts';
