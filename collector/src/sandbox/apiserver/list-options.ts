/**
 * Query parameters of list and watch requests, decoded and validated the way the API server does:
 * parse errors are 400 BadRequest, contradictory combinations 422 Invalid (ListOptions.meta.k8s.io).
 */
import { parseLabelSelector, type LabelSelector } from './label-selector.ts';
import { parseFieldSelector, checkFieldsSupported, type FieldSelector } from './field-selector.ts';
import type { ResourceDef } from './resources.ts';
import { badRequest, invalid, type FieldError } from './status.ts';

export interface ListOptions {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  watch: boolean;
  allowWatchBookmarks: boolean;
  /** Raw resourceVersion parameter ('' when absent). */
  resourceVersion: string;
  resourceVersionMatch: string;
  limit: number;
  continueToken: string;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

/** Go's Convert_Slice_string_To_bool: anything but "0" / "false" is true. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** Parses an int64 query parameter; 400 BadRequest on garbage, like strconv.ParseInt. */
export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

/** Parses a resourceVersion; 400 BadRequest when it is not an unsigned integer. */
export function parseResourceVersion(v: string): number {
  if (!/^\d+$/.test(v)) {
    let why = 'invalid syntax';
    if (/^\d{21,}$/.test(v)) why = 'value out of range';
    throw badRequest(`resourceVersion: Invalid value: ${JSON.stringify(v)}: strconv.ParseUint: parsing ${JSON.stringify(v)}: ${why}`);
  }
  return Number(v);
}

export function parseListOptions(def: ResourceDef, q: URLSearchParams, watchPath: boolean): ListOptions {
  let labelSelector: LabelSelector;
  let fieldSelector: FieldSelector;
  try {
    labelSelector = parseLabelSelector(q.get('labelSelector') ?? '');
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  try {
    fieldSelector = parseFieldSelector(q.get('fieldSelector') ?? '');
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  const limit = queryInt(q, 'limit') ?? 0;
  const timeoutSeconds = queryInt(q, 'timeoutSeconds');
  const opts: ListOptions = {
    labelSelector,
    fieldSelector,
    watch: watchPath || queryBool(q, 'watch'),
    allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks'),
    resourceVersion: q.get('resourceVersion') ?? '',
    resourceVersionMatch: q.get('resourceVersionMatch') ?? '',
    limit: limit > 0 ? limit : 0,
    continueToken: q.get('continue') ?? '',
  };
  if (timeoutSeconds !== undefined) opts.timeoutSeconds = timeoutSeconds;
  if (q.has('sendInitialEvents')) opts.sendInitialEvents = queryBool(q, 'sendInitialEvents');
  try {
    checkFieldsSupported(def, fieldSelector);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  validate(opts);
  if (opts.resourceVersion !== '') parseResourceVersion(opts.resourceVersion);
  return opts;
}

function validate(o: ListOptions): void {
  const errs: FieldError[] = [];
  const m = o.resourceVersionMatch;
  if (m !== '') {
    if (o.watch && o.sendInitialEvents === undefined) {
      errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden for watch' });
    } else if (m !== 'Exact' && m !== 'NotOlderThan') {
      errs.push({ type: 'FieldValueNotSupported', field: 'resourceVersionMatch', value: JSON.stringify(m), detail: 'supported values: "Exact", "NotOlderThan", ""' });
    } else if (o.resourceVersion === '' && !(o.watch && o.sendInitialEvents)) {
      errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' });
    } else if (o.continueToken !== '') {
      errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });
    } else if (m === 'Exact' && o.resourceVersion === '0') {
      errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"' });
    }
  }
  if (o.sendInitialEvents !== undefined) {
    if (!o.watch) errs.push({ type: 'FieldValueForbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for list' });
    else {
      if (m !== 'NotOlderThan') errs.push({ type: 'FieldValueForbidden', field: 'resourceVersionMatch', detail: "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan" });
      if (o.sendInitialEvents && !o.allowWatchBookmarks) errs.push({ type: 'FieldValueForbidden', field: 'allowWatchBookmarks', detail: 'allowWatchBookmarks must be set to true when sendInitialEvents is set to true' });
    }
  }
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
}
