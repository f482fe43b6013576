// The assembled sandbox with the real kubelet: demo functions, traffic, clean shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSandbox } from '../../collector/src/sandbox/index.ts';
import { canInspect, descendants } from './helpers/procs.ts';

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('startSandbox: demo functions run as processes, traffic reaches them, stop() leaves no process behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-sandbox-'));
  const sb = await startSandbox({ dataDir: dir, rate: 25, badShare: 0.3 });
  try {
    const kc = parse(readFileSync(sb.kubeconfigPath, 'utf8')) as { clusters: Array<{ cluster: { server: string } }>; users: Array<{ user: { token: string } }> };
    assert.equal(sb.kubeconfigPath, join(dir, 'sandbox', 'kubeconfig'));
    assert.equal(kc.clusters[0]!.cluster.server, sb.apiUrl);
    assert.equal(kc.users[0]!.user.token, sb.token);
    assert.match(sb.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(sb.demoFunctions.includes('default/kubelesshello'));
    if (sb.kubelet.availableRuntimes().includes('python3.8')) assert.ok(sb.demoFunctions.includes('default/hello') && sb.demoFunctions.includes('default/bikesearch'));
    await until('every demo function ready', () => sb.demoFunctions.every((f) => {
      const [ns, name] = f.split('/') as [string, string];
      return sb.api.store.list('pods', ns).some((p) => p.metadata.labels?.['function'] === name && JSON.stringify(p['status']).includes('"type":"Ready","status":"True"'));
    }));
    await until('calls with successes and failures', () => {
      const st = sb.traffic!.stats();
      const codes = Object.values(st.perTarget).flatMap((t) => Object.keys(t.byStatus));
      return codes.includes('200') && codes.includes('500');
    });
    if (canInspect) assert.ok(descendants(process.pid).length >= sb.demoFunctions.length, 'one process (at least) per pod');
  } finally {
    await sb.stop();
  }
  if (canInspect) assert.deepEqual(descendants(process.pid), []);
  rmSync(dir, { recursive: true, force: true });
});

test('startSandbox: a port in use is a FNS_SANDBOX_START error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-sandbox-'));
  const first = await startSandbox({ dataDir: dir, demo: false, traffic: false });
  try {
    const port = Number(new URL(first.apiUrl).port);
    await assert.rejects(startSandbox({ dataDir: dir, demo: false, traffic: false, apiPort: port }), { code: 'FNS_SANDBOX_START' });
  } finally {
    await first.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('startSandbox: a traffic rate it cannot use is an error, and nothing of the sandbox stays running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-sandbox-'));
  try {
    await assert.rejects(startSandbox({ dataDir: dir, rate: 0 }), /rate must be a positive number/);
    // the pods' process groups were sent SIGKILL; the kernel ends them a moment later
    if (canInspect) await until('no function process left behind', () => descendants(process.pid).length === 0, 5000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
