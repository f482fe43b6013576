import { ApiClient } from '../client/api-client.ts';
import { ErrorCodes, FnscopeError } from '../util/errors.ts';

/** What generation needs to know about a function: the rest of the inventory is not read. */
export interface InventoryFunction {
  namespace: string;
  name: string;
  runtime: string;
  handler: string;
  /** The Function object's annotations (SLO targets live here). */
  annotations: Record<string, string>;
}

export interface Inventory {
  readonly functions: readonly InventoryFunction[];
}

/** No functions: generation writes the generic set. */
export const EMPTY_INVENTORY: Inventory = Object.freeze({ functions: Object.freeze([]) });

function bad(message: string): FnscopeError {
  return new FnscopeError(ErrorCodes.SERVER_REQUEST, `unexpected /api/v1/functions response: ${message}`);
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(record(v) ?? {})) if (typeof val === 'string') out[k] = val;
  return out;
}

/** One function from the API: `{namespace, name, runtime, handler, annotations}`, or a Kubernetes-style `metadata`. */
function adaptFunction(item: unknown, index: number): InventoryFunction {
  const o = record(item);
  if (!o) throw bad(`data[${index}] is not an object`);
  const meta = record(o['metadata']);
  const namespace = str(o['namespace']) ?? str(meta?.['namespace']);
  const name = str(o['name']) ?? str(o['function']) ?? str(meta?.['name']);
  if (!namespace || !name) throw bad(`data[${index}] has no namespace and name`);
  const spec = record(o['spec']);
  return {
    namespace,
    name,
    runtime: str(o['runtime']) ?? str(spec?.['runtime']) ?? '',
    handler: str(o['handler']) ?? str(spec?.['handler']) ?? '',
    annotations: stringMap(o['annotations'] ?? meta?.['annotations']),
  };
}

/**
 * The inventory from a collector's `GET /api/v1/functions`: the whole envelope
 * `{status: "success", data: [...]}` or just its data (a list, or `{functions: [...]}`), sorted by
 * namespace and name. The one place that knows the API's shape.
 */
export function inventoryFromFunctionsResponse(body: unknown): Inventory {
  const env = record(body);
  if (env && env['status'] !== undefined && env['status'] !== 'success') {
    throw bad(`status ${JSON.stringify(env['status'])}: ${str(env['error']) ?? 'no error message'}`);
  }
  const data: unknown = env && 'data' in env ? env['data'] : body;
  const list = Array.isArray(data) ? data : record(data)?.['functions'];
  if (!Array.isArray(list)) throw bad('no list of functions in "data"');
  const functions = list.map(adaptFunction);
  functions.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { functions };
}

export interface LoadInventoryOptions {
  /** Bearer token for a collector bound beyond loopback. */
  token?: string;
  fetch?: typeof fetch;
}

/** The current inventory of a running collector (`GET <server>/api/v1/functions`). */
export async function loadInventory(server: string, opts: LoadInventoryOptions = {}): Promise<Inventory> {
  const client = new ApiClient({ server, ...opts });
  const { data } = await client.get<unknown>('/api/v1/functions');
  return inventoryFromFunctionsResponse(data);
}
