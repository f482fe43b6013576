/** Typed access to rendered manifests (plain JSON from YAML) for the deploy tests. */

export type Obj = Record<string, unknown>;

/** The value at a dotted path ("spec.template.spec.containers.0.args"), or undefined. */
export function at(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function obj(o: unknown, path: string): Obj {
  const v = at(o, path);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${path}: not an object`);
  return v as Obj;
}

export function list(o: unknown, path: string): Obj[] {
  const v = at(o, path);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${path}: not a list`);
  return v as Obj[];
}

export function strings(o: unknown, path: string): string[] {
  const v = at(o, path);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${path}: not a list of strings`);
  return v;
}

export function str(o: unknown, path: string): string | undefined {
  const v = at(o, path);
  return typeof v === 'string' ? v : undefined;
}

export function name(o: unknown): string {
  return `${str(o, 'kind')}/${str(o, 'metadata.name')}`;
}

/** The value following `flag` in an argument list. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}
