import { accessSync, constants, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionSpec } from '../kubelet/types.ts';

export type RuntimeFamily = 'python' | 'nodejs';

/** Runtime ids of the Kubeless runtimes repository that the sandbox runs, per family. */
export const RUNTIME_IDS: Readonly<Record<RuntimeFamily, readonly string[]>> = {
  python: ['python3.6', 'python3.7', 'python3.8'],
  nodejs: ['nodejs10', 'nodejs12', 'nodejs14'],
};

const PYTHON_RUNTIME = fileURLToPath(new URL('./python/_kubeless.py', import.meta.url));
const NODEJS_RUNTIME = fileURLToPath(new URL('./nodejs/boot.cjs', import.meta.url));

/** The family of a Kubeless runtime id ("python3.8" → python), or undefined for one the sandbox cannot run. */
export function runtimeFamily(runtime: string): RuntimeFamily | undefined {
  if (/^python3(\.\d+)?$/.test(runtime)) return 'python';
  if (/^nodejs\d*$/.test(runtime)) return 'nodejs';
  return undefined;
}

/** The first executable named `name` on a PATH-style list, or undefined. */
export function findOnPath(name: string, pathList: string | undefined): string | undefined {
  for (const dir of (pathList ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** "module.function" split as Kubeless splits it. */
export function splitHandler(handler: string): { modName: string; funcHandler: string } {
  const dot = handler.indexOf('.');
  if (dot < 0) return { modName: handler, funcHandler: '' };
  return { modName: handler.slice(0, dot), funcHandler: handler.slice(dot + 1) };
}

export interface RuntimeLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface LaunchContext {
  /** Folder holding the function's files; the working directory of the process. */
  dir: string;
  podName: string;
  host: string;
  port: number;
  /** python3 to use (found on PATH by the kubelet); python functions cannot run without it. */
  python: string | undefined;
  /** PATH given to the function process. */
  pathEnv: string;
}

/** Writes the function's module (and its dependency file, unused) into ctx.dir. */
export function writeFunctionFiles(fn: FunctionSpec, family: RuntimeFamily, dir: string): void {
  const { modName } = splitHandler(fn.handler);
  writeFileSync(join(dir, `${modName}.${family === 'python' ? 'py' : 'js'}`), fn.source);
  if (fn.deps) writeFileSync(join(dir, family === 'python' ? 'requirements.txt' : 'package.json'), fn.deps);
}

/**
 * Command and environment of the function container's process: the variables the Kubeless controller
 * sets, those of the Function's deployment template, and what a container would have (HOSTNAME, HOME).
 */
export function runtimeLaunch(fn: FunctionSpec, family: RuntimeFamily, ctx: LaunchContext): RuntimeLaunch {
  const { modName, funcHandler } = splitHandler(fn.handler);
  const env: Record<string, string> = {
    PATH: ctx.pathEnv,
    HOSTNAME: ctx.podName,
    HOME: ctx.dir,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    FUNC_HANDLER: funcHandler,
    MOD_NAME: modName,
    FUNC_TIMEOUT: String(fn.timeoutSeconds),
    FUNC_RUNTIME: fn.runtime,
    FUNC_MEMORY_LIMIT: '0',
    FUNC_PORT: String(ctx.port),
    FNSCOPE_BIND_HOST: ctx.host,
  };
  if (family === 'python') {
    if (!ctx.python) throw new Error('no python3 on PATH');
    Object.assign(env, { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' }, fn.env);
    return { command: ctx.python, args: [PYTHON_RUNTIME], env };
  }
  Object.assign(env, fn.env);
  // Node.js 14 and older (the runtimes Kubeless ships) only warn about an unhandled rejection.
  return { command: process.execPath, args: ['--unhandled-rejections=warn', NODEJS_RUNTIME], env };
}
