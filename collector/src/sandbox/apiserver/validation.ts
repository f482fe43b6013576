/**
 * Validation of objects on create and update, reporting field errors the way the API server does
 * (the caller turns them into a 422 Invalid Status).
 */
import type { KObject } from './types.ts';
import { isPlainObject } from './types.ts';
import type { ResourceDef } from './resources.ts';
import { isQualifiedName, isValidLabelValue, validateObjectName, isDns1123Label } from './names.ts';
import type { FieldError } from './status.ts';
import { quote } from './status.ts';

const KNOWN_META = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

function validateStringMap(field: string, m: unknown, values: boolean): FieldError[] {
  if (m === undefined || m === null) return [];
  if (!isPlainObject(m)) return [{ type: 'FieldValueInvalid', field, value: JSON.stringify(m), detail: 'must be an object' }];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(m)) {
    const ke = isQualifiedName(k);
    if (ke.length) errs.push({ type: 'FieldValueInvalid', field, value: quote(k), detail: ke.join('; ') });
    if (typeof v !== 'string') {
      errs.push({ type: 'FieldValueInvalid', field: `${field}.${k}`, value: JSON.stringify(v), detail: 'must be a string' });
    } else if (values) {
      const ve = isValidLabelValue(v);
      if (ve.length) errs.push({ type: 'FieldValueInvalid', field, value: quote(v), detail: ve.join('; ') });
    }
  }
  return errs;
}

/** Errors in metadata common to every kind. */
export function validateMeta(def: ResourceDef, obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const m = obj.metadata;
  const name = m.name;
  if (!name) {
    if (!m.generateName) errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  } else {
    const ne = validateObjectName(def.nameRule, name);
    if (ne.length) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: quote(name), detail: ne.join('; ') });
  }
  if (def.namespaced && m.namespace !== undefined && m.namespace !== '') {
    const nse = validateObjectName('label1035', m.namespace);
    if (nse.length) errs.push({ type: 'FieldValueInvalid', field: 'metadata.namespace', value: quote(m.namespace), detail: nse.join('; ') });
  }
  errs.push(...validateStringMap('metadata.labels', m.labels, true));
  errs.push(...validateStringMap('metadata.annotations', m.annotations, false));
  if (m.finalizers !== undefined) {
    if (!Array.isArray(m.finalizers)) errs.push({ type: 'FieldValueInvalid', field: 'metadata.finalizers', value: JSON.stringify(m.finalizers), detail: 'must be a list of strings' });
    else m.finalizers.forEach((f, i) => {
      if (typeof f !== 'string' || isQualifiedName(f).length) {
        errs.push({ type: 'FieldValueInvalid', field: `metadata.finalizers[${i}]`, value: JSON.stringify(f), detail: 'must be a qualified name' });
      }
    });
  }
  return errs;
}

/** Unknown metadata fields, reported as strict field validation does (400 BadRequest). */
export function unknownMetaFields(obj: KObject): string[] {
  return Object.keys(obj.metadata).filter((k) => !KNOWN_META.has(k)).map((k) => `unknown field "metadata.${k}"`);
}

function validateContainers(field: string, list: unknown, required: boolean): FieldError[] {
  if (list === undefined && !required) return [];
  if (!Array.isArray(list) || list.length === 0) {
    return required ? [{ type: 'FieldValueRequired', field }] : [];
  }
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!isPlainObject(c)) {
      errs.push({ type: 'FieldValueInvalid', field: f, value: JSON.stringify(c), detail: 'must be an object' });
      return;
    }
    const n = c['name'];
    if (typeof n !== 'string' || n === '') errs.push({ type: 'FieldValueRequired', field: `${f}.name` });
    else {
      const ne = isDns1123Label(n);
      if (ne.length) errs.push({ type: 'FieldValueInvalid', field: `${f}.name`, value: quote(n), detail: ne.join('; ') });
      if (names.has(n)) errs.push({ type: 'FieldValueDuplicate', field: `${f}.name`, value: quote(n) });
      names.add(n);
    }
    if (typeof c['image'] !== 'string' || c['image'] === '') errs.push({ type: 'FieldValueRequired', field: `${f}.image` });
  });
  return errs;
}

function validateServicePorts(spec: Record<string, unknown>): FieldError[] {
  const ports = spec['ports'];
  if (spec['type'] === 'ExternalName') return [];
  if (!Array.isArray(ports) || ports.length === 0) return [{ type: 'FieldValueRequired', field: 'spec.ports' }];
  const errs: FieldError[] = [];
  ports.forEach((p, i) => {
    const port = isPlainObject(p) ? p['port'] : undefined;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].port`, value: String(port), detail: 'must be between 1 and 65535, inclusive' });
    }
  });
  return errs;
}

/** Kind-specific checks for create (and update, with `old`). */
export function validateObject(def: ResourceDef, obj: KObject, old?: KObject): FieldError[] {
  const errs = validateMeta(def, obj);
  const spec = isPlainObject(obj['spec']) ? obj['spec'] : undefined;
  if (def.resource === 'pods') {
    if (!spec) errs.push({ type: 'FieldValueRequired', field: 'spec.containers' });
    else {
      errs.push(...validateContainers('spec.containers', spec['containers'], true));
      errs.push(...validateContainers('spec.initContainers', spec['initContainers'], false));
    }
    if (old && JSON.stringify(podMutableStripped(old)) !== JSON.stringify(podMutableStripped(obj))) {
      errs.push({
        type: 'FieldValueForbidden', field: 'spec',
        detail: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
    }
  }
  if (def.resource === 'services') errs.push(...validateServicePorts(spec ?? {}));
  return errs;
}

function podMutableStripped(o: KObject): unknown {
  const spec = isPlainObject(o['spec']) ? structuredClone(o['spec']) : {};
  for (const f of ['containers', 'initContainers'] as const) {
    const l = spec[f];
    if (Array.isArray(l)) for (const c of l) if (isPlainObject(c)) delete c['image'];
  }
  delete spec['activeDeadlineSeconds'];
  delete spec['tolerations'];
  delete spec['terminationGracePeriodSeconds'];
  return spec;
}
