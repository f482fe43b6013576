/**
 * The sandbox Kubeless cluster, assembled: API server + controller + kubelet (real local processes)
 * + demo Functions + traffic generator, and the kubeconfig that points kubectl and client-node at it.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { systemClock, type Clock } from '../util/clock.ts';
import { ErrorCodes, FnscopeError } from '../util/errors.ts';
import { silentLogger, type Logger } from '../util/logger.ts';
import { ApiServer, type SandboxUser, type WatchTimingOptions, type StoreOptions, seedCluster } from './apiserver/index.ts';
import { Controller } from './controller/index.ts';
import { createKubelet, type Kubelet } from './kubelet/index.ts';
import { demoFunctions } from './runtimes/index.ts';
import { TrafficGenerator, type InvokeFn, type TrafficTarget } from './traffic/index.ts';
import { writeKubeconfig } from './kubeconfig.ts';

export const DEFAULT_NODE_NAME = 'fnscope-sandbox';

export interface SandboxOptions {
  /** API listen address (default 127.0.0.1) and port (default 0: any free port). */
  apiHost?: string;
  apiPort?: number;
  /** Where to write the kubeconfig (default <dataDir>/sandbox/kubeconfig). */
  kubeconfigPath?: string;
  /** Default ".data" in the working directory. */
  dataDir?: string;
  /** Create the built-in demo Functions (default true). */
  demo?: boolean;
  /** Run the traffic generator against the demo Functions (default true). */
  traffic?: boolean;
  /** Traffic calls per second over all demo Functions (default 2). */
  rate?: number;
  /** Share of traffic with bad inputs (default: the generator's). */
  badShare?: number;
  nodeName?: string;
  logger?: Logger;
  clock?: Clock;
  /** A kubelet to use instead of the real one (tests). */
  kubelet?: Kubelet;
  watch?: WatchTimingOptions;
  storeOptions?: StoreOptions;
  /** Bearer token written to the kubeconfig (default: random). */
  token?: string;
  /** Extra users the API server's TokenReview and SubjectAccessReview know, with limited permissions. */
  users?: readonly SandboxUser[];
}

export interface Sandbox {
  apiUrl: string;
  kubeconfigPath: string;
  token: string;
  api: ApiServer;
  controller: Controller;
  kubelet: Kubelet;
  traffic: TrafficGenerator | undefined;
  /** Names of the demo Functions created (namespace/name). */
  demoFunctions: string[];
  /** Calls a function through the API server's service proxy. */
  invoke: InvokeFn;
  stop(): Promise<void>;
}

/** Invokes `fn` through `/api/v1/namespaces/{ns}/services/{fn}/proxy/` of the given API server. */
export function proxyInvoker(apiUrl: string, token: string): InvokeFn {
  return async (ns, fn, req) => {
    const url = `${apiUrl}/api/v1/namespaces/${encodeURIComponent(ns)}/services/${encodeURIComponent(fn)}/proxy/`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const res = await fetch(url, { method: req.method, headers: { ...req.headers, authorization: `Bearer ${token}` }, body: hasBody ? req.body : undefined });
    return { status: res.status, body: await res.text() };
  };
}

async function waitForApi(url: string): Promise<void> {
  const res = await fetch(`${url}/version`);
  if (!res.ok) throw new FnscopeError(ErrorCodes.SANDBOX_START, `the sandbox API server answered ${res.status} to /version`);
  await res.arrayBuffer();
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const logger = opts.logger ?? silentLogger();
  const clock = opts.clock ?? systemClock;
  const nodeName = opts.nodeName ?? DEFAULT_NODE_NAME;
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const dataDir = resolve(opts.dataDir ?? '.data');
  const kubeconfigPath = resolve(opts.kubeconfigPath ?? join(dataDir, 'sandbox', 'kubeconfig'));
  const api = new ApiServer({
    clock, logger, token, host: opts.apiHost ?? '127.0.0.1', port: opts.apiPort ?? 0,
    ...(opts.watch ? { watch: opts.watch } : {}), ...(opts.storeOptions ? { storeOptions: opts.storeOptions } : {}),
    ...(opts.users ? { users: opts.users } : {}),
  });
  seedCluster(api.registry, { nodeName });
  let apiUrl: string;
  try {
    apiUrl = await api.listen();
  } catch (e) {
    throw new FnscopeError(ErrorCodes.SANDBOX_START, `the sandbox API server cannot listen on ${opts.apiHost ?? '127.0.0.1'}:${opts.apiPort ?? 0}: ${(e as Error).message}`, { cause: e });
  }
  const invoke = proxyInvoker(apiUrl, token);
  const kubelet = opts.kubelet ?? createKubelet({ logger: logger.child({ component: 'kubelet' }), clock });
  const controller = new Controller({ registry: api.registry, kubelet, nodeName, logger: logger.child({ component: 'controller' }), invoke });
  api.setLogProvider(controller);
  controller.start();

  const created: string[] = [];
  const targets: TrafficTarget[] = [];
  if (opts.demo !== false) {
    const available = new Set(kubelet.availableRuntimes());
    const fdef = api.resources.find('kubeless.io', 'v1beta1', 'functions')!;
    for (const d of demoFunctions()) {
      const m = d.manifest as { metadata: { name: string; namespace: string }; spec: { runtime: string } };
      if (!available.has(m.spec.runtime)) {
        logger.warn({ function: m.metadata.name, runtime: m.spec.runtime }, 'sandbox: runtime not available here, demo function skipped');
        continue;
      }
      api.registry.create(fdef, m.metadata.namespace, d.manifest);
      created.push(`${m.metadata.namespace}/${m.metadata.name}`);
      targets.push({ namespace: m.metadata.namespace, name: m.metadata.name, payloads: d.payloads });
    }
  }

  const stopAll = async (): Promise<void> => {
    controller.stop();
    await kubelet.shutdown();
    await api.close();
  };
  try {
    await waitForApi(apiUrl);
    writeKubeconfig(kubeconfigPath, { server: apiUrl, token });
  } catch (e) {
    await stopAll();
    if (e instanceof FnscopeError) throw e;
    throw new FnscopeError(ErrorCodes.SANDBOX_START, `the sandbox could not start: ${(e as Error).message}`, { cause: e });
  }

  let traffic: TrafficGenerator | undefined;
  if (opts.traffic !== false && targets.length > 0) {
    try {
      traffic = new TrafficGenerator({
        invoke, targets, clock, logger: logger.child({ component: 'traffic' }),
        ...(opts.rate !== undefined ? { ratePerSecond: opts.rate } : {}),
        ...(opts.badShare !== undefined ? { badShare: opts.badShare } : {}),
      });
      traffic.start();
    } catch (e) {
      await stopAll(); // a bad rate must not leave the API server and the function processes running
      throw e;
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    apiUrl, kubeconfigPath, token, api, controller, kubelet, traffic, demoFunctions: created, invoke,
    stop() {
      stopping ??= (async () => {
        await traffic?.stop();
        await stopAll();
      })();
      return stopping;
    },
  };
}
