/** A sandbox cluster for tests: API server on an ephemeral loopback port, controller, fake kubelet. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../collector/src/util/clock.ts';
import { ApiServer, type ApiServerOptions } from '../../../collector/src/sandbox/apiserver/server.ts';
import { seedCluster } from '../../../collector/src/sandbox/apiserver/seed.ts';
import { Controller } from '../../../collector/src/sandbox/controller/controller.ts';
import type { Kubelet } from '../../../collector/src/sandbox/kubelet/types.ts';
import type { KObject } from '../../../collector/src/sandbox/apiserver/types.ts';
import type { ResourceDef } from '../../../collector/src/sandbox/apiserver/resources.ts';
import { kubeconfigYaml } from '../../../collector/src/sandbox/kubeconfig.ts';
import { proxyInvoker } from '../../../collector/src/sandbox/sandbox.ts';
import { FakeKubelet } from './fake-kubelet.ts';

export interface TestCluster {
  api: ApiServer;
  url: string;
  controller: Controller;
  kubelet: Kubelet;
  fake: FakeKubelet | undefined;
  token: string;
  kubeconfig: string;
  def(resource: string, group?: string): ResourceDef;
  createFunction(name: string, spec?: Record<string, unknown>, ns?: string, extra?: Partial<KObject>): KObject;
  /** Polls `fn` until it returns a truthy value (bounded deadline). */
  until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export const PY_SOURCE = 'def handler(event, context):\n    return event["data"]\n';

export async function startTestCluster(opts: { kubelet?: Kubelet; clock?: Clock; api?: ApiServerOptions } = {}): Promise<TestCluster> {
  const token = 'test-token';
  const api = new ApiServer({ token, ...(opts.clock ? { clock: opts.clock } : {}), ...opts.api });
  seedCluster(api.registry, { nodeName: 'fnscope-sandbox' });
  const url = await api.listen();
  const fake = opts.kubelet ? undefined : new FakeKubelet(opts.clock ? { clock: opts.clock } : {});
  const kubelet = opts.kubelet ?? fake!;
  const controller = new Controller({ registry: api.registry, kubelet, nodeName: 'fnscope-sandbox', invoke: proxyInvoker(url, token) });
  api.setLogProvider(controller);
  controller.start();
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-test-kc-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml({ server: url, token }));
  const def = (resource: string, group = ''): ResourceDef => api.resources.all.find((d) => d.resource === resource && d.group === group)!;
  return {
    api, url, controller, kubelet, fake, token, kubeconfig, def,
    createFunction(name, spec = {}, ns = 'default', extra = {}) {
      return api.registry.create(def('functions', 'kubeless.io'), ns, {
        ...extra,
        metadata: { name, labels: { function: name, 'created-by': 'kubeless' }, ...(extra.metadata ?? {}) },
        spec: { handler: `${name}.handler`, runtime: 'python3.8', 'function-content-type': 'text', function: PY_SOURCE, timeout: '180', ...spec },
      });
    },
    async until(what, fn, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      controller.stop();
      await kubelet.shutdown();
      await api.close();
    },
  };
}
