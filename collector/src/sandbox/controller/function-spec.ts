/**
 * Reads a kubeless.io/v1beta1 Function object the way the Kubeless controller does: handler split into
 * module and function, source decoded from base64, timeout defaulting to 180 s, replicas and env from
 * the embedded Deployment. Also the pod-template-hash that changes whenever a rollout is needed.
 */
import { createHash } from 'node:crypto';
import type { FunctionSpec } from '../kubelet/types.ts';
import type { KObject } from '../apiserver/types.ts';
import { isPlainObject } from '../apiserver/types.ts';

export interface ParsedFunction {
  spec: FunctionSpec;
  modName: string;
  handlerName: string;
  /** The timeout as written in the Function (a string, default "180"). */
  timeout: string;
  replicas: number;
  /** Labels the Function's pods and Service selector use. */
  labels: Record<string, string>;
  /** Hash of everything that shapes a pod: a new value means a rolling update. */
  templateHash: string;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' SafeEncodeString of a hash: no vowels, no look-alike digits. */
export function safeHash(input: string, length = 10): string {
  const digest = createHash('sha256').update(input).digest();
  let s = '';
  for (let i = 0; i < length; i++) s += SAFE[digest[i]! % SAFE.length]!;
  return s;
}

function deploymentContainer(spec: Rec): Rec {
  const containers = rec(rec(rec(rec(spec['deployment'])['spec'])['template'])['spec'])['containers'];
  return Array.isArray(containers) && isPlainObject(containers[0]) ? containers[0] : {};
}

/** Parses the Function; returns an error message (as Kubeless would log it) when it cannot be deployed. */
export function parseFunction(fn: KObject): ParsedFunction | { error: string } {
  const spec = rec(fn['spec']);
  const name = fn.metadata.name ?? '';
  const namespace = fn.metadata.namespace ?? 'default';
  const handler = typeof spec['handler'] === 'string' ? spec['handler'] : '';
  const parts = handler.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { error: 'failed: incorrect handler format. It should be module_name.handler_name' };
  const runtime = typeof spec['runtime'] === 'string' ? spec['runtime'] : '';
  if (!runtime) return { error: 'Unable to find the runtime: the Function has no spec.runtime' };
  const contentType = typeof spec['function-content-type'] === 'string' ? spec['function-content-type'] : 'text';
  const raw = typeof spec['function'] === 'string' ? spec['function'] : '';
  if (contentType.includes('url')) return { error: `Unable to prepare function of type ${contentType}: the sandbox does not download function sources` };
  if (contentType.includes('zip') || contentType.includes('compressedtar')) return { error: `Unable to prepare function of type ${contentType}: the sandbox runs single-file sources only` };
  if (!contentType.includes('base64') && !contentType.includes('text') && contentType !== '') return { error: `Unable to prepare function of type ${contentType}: Unknown format` };
  const source = contentType.includes('base64') ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const timeout = typeof spec['timeout'] === 'string' && spec['timeout'] !== '' ? spec['timeout'] : typeof spec['timeout'] === 'number' ? String(spec['timeout']) : '180';
  const timeoutSeconds = Number(timeout);
  const env: Record<string, string> = {};
  const envList = deploymentContainer(spec)['env'];
  if (Array.isArray(envList)) for (const e of envList) if (isPlainObject(e) && typeof e['name'] === 'string') env[e['name']] = typeof e['value'] === 'string' ? e['value'] : '';
  const replicasRaw = rec(rec(spec['deployment'])['spec'])['replicas'];
  const replicas = typeof replicasRaw === 'number' && Number.isInteger(replicasRaw) && replicasRaw >= 0 ? replicasRaw : 1;
  const fs: FunctionSpec = {
    namespace, name, runtime, handler, source,
    timeoutSeconds: Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 180,
  };
  if (typeof spec['deps'] === 'string' && spec['deps'] !== '') fs.deps = spec['deps'];
  if (Object.keys(env).length) fs.env = env;
  const labels: Record<string, string> = { ...(fn.metadata.labels ?? {}), function: name, 'created-by': 'kubeless' };
  delete labels['pod-template-hash'];
  const templateHash = safeHash(JSON.stringify([runtime, handler, source, timeout, fs.deps ?? '', env, labels, fn.metadata.annotations?.['kubeless.io/restartedAt'] ?? '']));
  return { spec: fs, modName: parts[0], handlerName: parts[1], timeout, replicas, labels, templateHash };
}

/** Image names the runtime's pods show (nominal: the sandbox runs local processes, not images). */
export function runtimeImage(runtime: string): string {
  const m = /^([a-z]+)(.*)$/.exec(runtime);
  return m ? `kubeless/${m[1]!}:${m[2] || 'latest'}` : `kubeless/${runtime}:latest`;
}

/** Source file name Kubeless gives the function (module + the runtime's suffix). */
export function sourceFileName(modName: string, runtime: string): string {
  if (runtime.startsWith('python')) return `${modName}.py`;
  if (runtime.startsWith('nodejs')) return `${modName}.js`;
  if (runtime.startsWith('ruby')) return `${modName}.rb`;
  if (runtime.startsWith('php')) return `${modName}.php`;
  if (runtime.startsWith('go')) return `${modName}.go`;
  return modName;
}

/** Dependency file name of the runtime (requirements.txt, package.json, ...). */
export function depsFileName(runtime: string): string | undefined {
  if (runtime.startsWith('python')) return 'requirements.txt';
  if (runtime.startsWith('nodejs')) return 'package.json';
  if (runtime.startsWith('ruby')) return 'Gemfile';
  if (runtime.startsWith('php')) return 'composer.json';
  if (runtime.startsWith('go')) return 'go.mod';
  return undefined;
}

/** Runtimes whose pods carry a `compile` init container in Kubeless. */
export function isCompiled(runtime: string): boolean {
  return /^(go|java|dotnetcore|ballerina)/.test(runtime);
}
