/**
 * Request bodies: size limit (413), content type (415), JSON or YAML decoding (400 with the decoder's
 * message), and the HTTP helpers that write Status and JSON responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType, type ApiError, type Status } from './status.ts';

/** kube-apiserver's limit for a request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

const OBJECT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/cbor'];

/** Decodes a create/update body (JSON or YAML). */
export function decodeObjectBody(req: IncomingMessage, raw: Buffer): unknown {
  const mt = mediaType(req);
  if (mt === '' || mt === 'application/json' || mt === '*/*') return decodeJson(raw);
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') return decodeYaml(raw);
  throw unsupportedMediaType(OBJECT_TYPES);
}

export function decodeJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('Object \'Kind\' is missing in \'\'');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function decodeYaml(raw: Buffer): unknown {
  try {
    return parseYaml(raw.toString('utf8')) as unknown;
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
}

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function writeStatus(res: ServerResponse, status: Status): void {
  writeJson(res, status.code, status);
}

export function writeError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeStatus(res, err.status);
}
