import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TrafficPayloads } from '../traffic/types.ts';

/** A built-in function of the sandbox: its Function manifest and the inputs the demo traffic uses. */
export interface DemoFunction {
  manifest: Record<string, unknown>;
  payloads: TrafficPayloads;
}

interface DemoSpec {
  name: string;
  file: string;
  handler: string;
  runtime: string;
  timeout: string;
  payloads: TrafficPayloads;
}

const SPECS: DemoSpec[] = [
  {
    // Kubeless' first tutorial: echoes what it is sent.
    name: 'hello', file: 'hello.py', handler: 'hello.hello', runtime: 'python3.8', timeout: '180',
    payloads: {
      good: [{ body: { hello: 'world' } }, { body: 'hello from the sandbox' }, { method: 'GET' }],
      bad: [],
    },
  },
  {
    // Raises KeyError: 'term' without a term, TypeError for a non-JSON body, ValueError for a bad limit.
    name: 'bikesearch', file: 'bikesearch.py', handler: 'bikesearch.search', runtime: 'python3.8', timeout: '180',
    payloads: {
      good: [{ body: { term: 'square' } }, { body: { term: 'park', limit: 2 } }, { body: { term: 'station' } }],
      bad: [{ body: { query: 'square' } }, { body: {} }, { body: 'square', contentType: 'text/plain' }, { body: { term: 'market', limit: 'all' } }],
    },
  },
  {
    // Answers 408 (not counted as a failure by the python runtime) for reports past its 3 s timeout.
    name: 'slowpoke', file: 'slowpoke.py', handler: 'slowpoke.render', runtime: 'python3.8', timeout: '3',
    payloads: {
      good: [{ body: { pages: 1 } }, { body: { pages: 4 } }, { body: { pages: 10 } }],
      bad: [{ body: { pages: 80 } }, { body: { pages: 120 } }],
    },
  },
  {
    // Throws a TypeError (500, function_failures_total) when the name is missing.
    name: 'kubelesshello', file: 'kubelesshello.js', handler: 'kubelesshello.hello', runtime: 'nodejs14', timeout: '180',
    payloads: {
      good: [{ body: { name: 'kubeless' } }, { body: { name: ' sandbox ' } }],
      bad: [{ body: {} }, { body: { greeting: 'hi' } }],
    },
  },
  {
    // Answers 200, then its background writer throws for an order without items: the process exits and
    // the pod restarts (restartCount, CrashLoopBackOff, `kubectl logs --previous`). Such orders are
    // sent a quarter as often as other bad inputs, so that the pod is up most of the time.
    name: 'orders', file: 'orders.js', handler: 'orders.place', runtime: 'nodejs14', timeout: '180',
    payloads: {
      badShareScale: 0.25,
      good: [{ body: { id: 'A-1001', items: [{ sku: 'BIKE-RED', qty: 1 }] } }, { body: { id: 'A-1002', items: [{ sku: 'LOCK', qty: 2 }, { sku: 'BELL', qty: 1 }] } }],
      bad: [{ body: { id: 'A-1003' } }],
    },
  },
];

/** The sandbox's built-in functions, modelled on the Kubeless tutorials, as Function manifests. */
export function demoFunctions(): DemoFunction[] {
  return SPECS.map((s) => ({ manifest: functionManifest(s, readDemoSource(s.file)), payloads: structuredClone(s.payloads) }));
}

function readDemoSource(file: string): string {
  return readFileSync(new URL(`./demo/${file}`, import.meta.url), 'utf8');
}

function functionManifest(s: DemoSpec, source: string): Record<string, unknown> {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: {
      name: s.name,
      namespace: 'default',
      labels: { 'created-by': 'kubeless', function: s.name },
    },
    spec: {
      checksum: `sha256:${createHash('sha256').update(source).digest('hex')}`,
      deps: '',
      'function-content-type': 'text',
      function: source,
      handler: s.handler,
      runtime: s.runtime,
      timeout: s.timeout,
      service: {
        ports: [{ name: 'http-function-port', port: 8080, protocol: 'TCP', targetPort: 8080 }],
        selector: { function: s.name },
        type: 'ClusterIP',
      },
    },
  };
}
