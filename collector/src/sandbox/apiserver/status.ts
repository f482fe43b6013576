/**
 * metav1.Status objects and the errors that carry them, with the codes, reasons and message texts a
 * real kube-apiserver uses (k8s.io/apimachinery/pkg/api/errors).
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Identifies a resource in messages: `pods`, `functions.kubeless.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** An error the API answers with a Status object. */
export class ApiError extends Error {
  readonly status: Status;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details) this.status.details = details;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

function details(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name };
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export function successStatus(extra?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (extra) s.details = extra;
  return s;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, details(gr, name));
}

export function pathNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, details(gr, name));
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, details(gr, name));
}

export const MODIFIED_CONFLICT = 'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** A field-level validation error, rendered as field.Error does: `field: Invalid value: "x": detail`. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueDuplicate' | 'FieldValueTooLong';
  field: string;
  /** The rendered value part (already quoted where a string); omitted for Required/Forbidden. */
  value?: string;
  detail?: string;
}

const typeText: Record<FieldError['type'], string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
};

export function fieldErrorBody(e: FieldError): string {
  let s = typeText[e.type];
  if (e.value !== undefined && e.type !== 'FieldValueRequired' && e.type !== 'FieldValueForbidden') s += `: ${e.value}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** Go's %q for a string, close enough for messages. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** 422 Invalid: `Kind.group "name" is invalid: [a, b]`. */
export function invalid(kind: { group: string; kind: string }, name: string, errs: readonly FieldError[]): ApiError {
  const qk = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const msgs = errs.map(fieldErrorString);
  const joined = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  const d: StatusDetails = { name };
  if (kind.group) d.group = kind.group;
  d.kind = kind.kind;
  d.causes = errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  return new ApiError(422, 'Invalid', `${qk} "${name}" is invalid: ${joined}`, d);
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function tooOldResourceVersion(requested: number, oldest: number): ApiError {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {});
}

export function notAcceptable(accepted: readonly string[]): ApiError {
  return new ApiError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`, {});
}

export function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function timeoutError(message: string, cause?: StatusCause): ApiError {
  const d: StatusDetails = cause ? { causes: [cause], retryAfterSeconds: 1 } : { retryAfterSeconds: 1 };
  return new ApiError(504, 'Timeout', `Timeout: ${message}`, d);
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

export function internalError(err: unknown): ApiError {
  const m = err instanceof Error ? err.message : String(err);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${m}`, { causes: [{ message: m }] });
}
