/**
 * Splits an API path into group, version, namespace, resource, name and subresource, the way
 * kube-apiserver's RequestInfoFactory does (including the deprecated `/watch/` prefix).
 */

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  /** Set when the path is under /namespaces/{ns}/. */
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Path after the subresource (proxy), without its leading slash; '' when absent. */
  rest: string;
  /** True when the path had a trailing slash after the subresource (proxy). */
  restGiven: boolean;
  /** Came through /watch/. */
  watchPath: boolean;
}

export interface DiscoveryRequest {
  kind: 'discovery';
  /** 'api' (/api), 'apis' (/apis), 'group' (/apis/g), 'groupVersion' (/api/v1, /apis/g/v). */
  what: 'api' | 'apis' | 'group' | 'groupVersion';
  group: string;
  version: string;
}

export type ApiRequest = ResourceRequest | DiscoveryRequest;

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function decode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** Parses a path below /api or /apis; undefined when it is not one. */
export function parseApiPath(pathname: string): ApiRequest | undefined {
  const raw = pathname.split('/').slice(1);
  const trailingSlash = pathname.length > 1 && pathname.endsWith('/');
  const parts = raw.filter((p, i) => p !== '' || i < raw.length - 1).map(decode);
  const prefix = parts[0];
  let group = '';
  let version: string;
  let i: number;
  if (prefix === 'api') {
    if (parts.length === 1) return { kind: 'discovery', what: 'api', group: '', version: '' };
    version = parts[1]!;
    i = 2;
  } else if (prefix === 'apis') {
    if (parts.length === 1) return { kind: 'discovery', what: 'apis', group: '', version: '' };
    group = parts[1]!;
    if (parts.length === 2) return { kind: 'discovery', what: 'group', group, version: '' };
    version = parts[2]!;
    i = 3;
  } else {
    return undefined;
  }
  let rest = parts.slice(i);
  if (rest.length === 0) return { kind: 'discovery', what: 'groupVersion', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
  }
  const [resource, name, subresource, ...tail] = rest;
  if (!resource) return undefined;
  const req: ResourceRequest = {
    kind: 'resource', group, version, resource, rest: tail.join('/'), restGiven: tail.length > 0 || (trailingSlash && subresource !== undefined), watchPath,
  };
  if (namespace !== undefined) req.namespace = namespace;
  if (name !== undefined) req.name = name;
  if (subresource !== undefined) req.subresource = subresource;
  return req;
}
