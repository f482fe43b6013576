/**
 * deploy/: every overlay renders with `kubectl kustomize`, every object is valid against the
 * Kubernetes API types, and the security and RBAC invariants of each mode hold.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isCoreKind, structuralErrors, validateWithKubernetesModels } from './k8s-schema.ts';
import { at, flagValue, list, name, obj, str, strings, type Obj } from './manifest.ts';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');
const MODES = ['deployment', 'daemonset', 'sharded', 'sync'] as const;
type Mode = (typeof MODES)[number];

/** Flags of `fnscope serve` the manifests may use (deploy/README.md). */
const SERVE_FLAGS = new Set([
  '--mode', '--node-name', '--shard-index', '--shard-count', '--peers-dns', '--cri-log-root', '--logs', '--listen', '--auth',
  '--token-file', '--tls-cert', '--tls-key', '--data-dir', '--remote-write-url', '--sync', '--sync-namespace',
]);

const tmp = mkdtempSync(join(tmpdir(), 'fnscope-kustomize-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function render(dir: string): Obj[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((d) => d.toJS() as Obj | null).filter((o): o is Obj => o !== null);
}

/** A kustomization of its own in a temporary directory (kustomize wants relative paths). */
function renderFrom(lines: (rel: (p: string) => string) => string[]): Obj[] {
  const dir = mkdtempSync(join(tmp, 'k-'));
  const rel = (p: string): string => relative(dir, join(DEPLOY, p));
  writeFileSync(join(dir, 'kustomization.yaml'), lines(rel).join('\n') + '\n');
  return render(dir);
}

/** An overlay plus components. */
function renderWith(mode: Mode, components: readonly string[]): Obj[] {
  return renderFrom((rel) => ['resources:', `  - ${rel(`overlays/${mode}`)}`, 'components:', ...components.map((c) => `  - ${rel(`components/${c}`)}`)]);
}

const rendered = new Map<Mode, Obj[]>(MODES.map((m) => [m, render(join(DEPLOY, 'overlays', m))]));
const get = (m: Mode): Obj[] => rendered.get(m)!;
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);
const kindOf = (o: Obj): string => str(o, 'kind') ?? '';
const find = (objs: Obj[], kind: string, nm?: string): Obj | undefined => objs.find((o) => kindOf(o) === kind && (nm === undefined || str(o, 'metadata.name') === nm));
function workload(objs: Obj[]): Obj {
  const w = objs.filter((o) => WORKLOAD_KINDS.has(kindOf(o)));
  assert.equal(w.length, 1, 'one workload per mode');
  return w[0]!;
}
const container = (w: Obj): Obj => list(w, 'spec.template.spec.containers')[0]!;
const envOf = (c: Obj, n: string): Obj | undefined => list(c, 'env').find((e) => e['name'] === n);
const workloadKind: Record<Mode, string> = { deployment: 'Deployment', daemonset: 'DaemonSet', sharded: 'StatefulSet', sync: 'Deployment' };

async function assertValid(objs: Obj[]): Promise<{ modelsChecked: number }> {
  let modelsChecked = 0;
  for (const o of objs) {
    if (isCoreKind(o)) assert.deepEqual(structuralErrors(o), [], name(o));
    else assert.equal(o['apiVersion'], 'monitoring.coreos.com/v1', `unexpected kind ${name(o)}`);
    const errs = await validateWithKubernetesModels(o);
    if (errs !== undefined) {
      modelsChecked++;
      assert.deepEqual(errs, [], name(o));
    }
  }
  return { modelsChecked };
}

for (const mode of MODES) {
  test(`${mode}: renders, and every object is valid against the Kubernetes API types`, async (t) => {
    const objs = get(mode);
    assert.ok(objs.length >= 10);
    assert.equal(kindOf(workload(objs)), workloadKind[mode]);
    const { modelsChecked } = await assertValid(objs);
    if (modelsChecked === 0) t.diagnostic('kubernetes-models is not installed: required fields and formats were not checked, unknown fields and types were');
    for (const o of objs) {
      const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(kindOf(o));
      assert.equal(str(o, 'metadata.namespace'), clusterScoped ? undefined : 'fnscope', `${name(o)} namespace`);
    }
  });
}

test('the deliberate mistakes the validation must catch', () => {
  const d = structuredClone(workload(get('deployment')));
  obj(d, 'spec')['replica'] = 2;
  obj(d, 'spec.template.spec.containers.0.ports.0')['containerPort'] = '9464';
  obj(d, 'spec.template.spec.containers.0.securityContext')['readOnlyRootFileSystem'] = true;
  const errs = structuralErrors(d).join('\n');
  assert.match(errs, /spec\.replica: unknown field/);
  assert.match(errs, /containerPort: expected a number/);
  assert.match(errs, /readOnlyRootFileSystem: unknown field/);
});

const COMBOS: ReadonlyArray<readonly [Mode, readonly string[]]> = [
  ['deployment', ['servicemonitor']],
  ['daemonset', ['podmonitor']],
  ['sharded', ['servicemonitor', 'tls']],
  ['sync', ['podmonitor', 'tls']],
];

for (const [mode, comps] of COMBOS) {
  test(`${mode} + ${comps.join(' + ')}: renders valid objects; the monitor reaches the collector's port with a reader identity`, async () => {
    const objs = renderWith(mode, comps);
    await assertValid(objs);
    const mon = find(objs, 'ServiceMonitor') ?? find(objs, 'PodMonitor');
    assert.ok(mon);
    assert.equal(str(mon, 'metadata.namespace'), 'fnscope');
    const ep = (kindOf(mon) === 'ServiceMonitor' ? list(mon, 'spec.endpoints') : list(mon, 'spec.podMetricsEndpoints'))[0]!;
    assert.equal(ep['port'], 'http');
    assert.equal(ep['path'], '/metrics');
    assert.equal(ep['honorLabels'], true);
    const w = workload(objs);
    const selected = kindOf(mon) === 'PodMonitor' ? obj(w, 'spec.template.metadata.labels') : obj(find(objs, 'Service', 'fnscope'), 'metadata.labels');
    for (const [k, v] of Object.entries(obj(mon, 'spec.selector.matchLabels'))) assert.equal(selected[k], v, `monitor selector ${k}`);
    const secretName = str(ep, 'authorization.credentials.name');
    assert.ok(secretName, 'the monitor presents a bearer token from a Secret');
    const secret = find(objs, 'Secret', secretName);
    assert.ok(secret, 'the monitor token Secret is rendered');
    assert.equal(secret['type'], 'kubernetes.io/service-account-token');
    const sa = obj(secret, 'metadata.annotations')['kubernetes.io/service-account.name'];
    assert.ok(find(objs, 'ServiceAccount', String(sa)));
    assert.ok(objs.some((o) => kindOf(o) === 'ClusterRoleBinding' && str(o, 'roleRef.name') === 'fnscope-reader' && list(o, 'subjects').some((s) => s['name'] === sa)), 'the scraper may read /metrics');
    const c = container(w);
    const tls = comps.includes('tls');
    assert.equal(strings(c, 'args').includes('--tls-cert'), tls);
    assert.equal(str(c, 'livenessProbe.httpGet.scheme') ?? 'HTTP', tls ? 'HTTPS' : 'HTTP');
    assert.equal(str(c, 'readinessProbe.httpGet.scheme') ?? 'HTTP', tls ? 'HTTPS' : 'HTTP');
    assert.equal(str(ep, 'scheme') ?? 'http', tls ? 'https' : 'http');
    if (tls) assert.equal(str(ep, 'tlsConfig.ca.secret.name'), 'fnscope-tls', 'the monitor verifies the certificate');
  });
}

test('servicemonitor and podmonitor together are refused (each would scrape every pod again)', () => {
  assert.throws(() => renderWith('deployment', ['servicemonitor', 'podmonitor']), /already registered id/);
});

for (const mode of MODES) {
  test(`${mode}: non-root, read-only root filesystem, no privilege escalation, seccomp, probes, resources`, () => {
    const objs = get(mode);
    const w = workload(objs);
    const spec = obj(w, 'spec.template.spec');
    const podSc = obj(spec, 'securityContext');
    assert.equal(podSc['runAsNonRoot'], true);
    assert.notEqual(podSc['runAsUser'], 0);
    assert.equal(at(podSc, 'seccompProfile.type'), 'RuntimeDefault');
    for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) assert.notEqual(spec[k], true, k);
    assert.equal(spec['serviceAccountName'], 'fnscope');
    for (const c of [...list(spec, 'initContainers'), ...list(spec, 'containers')]) {
      const where = `container ${str(c, 'name')}`;
      const sc = obj(c, 'securityContext');
      assert.equal(sc['runAsNonRoot'] ?? podSc['runAsNonRoot'], true, where);
      assert.ok(Number(sc['runAsUser'] ?? podSc['runAsUser']) > 0, `${where} runs as a non-zero uid`);
      assert.equal(sc['readOnlyRootFilesystem'], true, where);
      assert.equal(sc['allowPrivilegeEscalation'], false, where);
      assert.notEqual(sc['privileged'], true, where);
      assert.deepEqual(sc['capabilities'], { drop: ['ALL'] }, where);
      assert.equal(at(sc, 'seccompProfile.type') ?? at(podSc, 'seccompProfile.type'), 'RuntimeDefault', where);
      assert.match(str(c, 'image') ?? '', /^[^:]+:\d+\.\d+\.\d+$/, `${where} image pinned to a version`);
      for (const kind of ['requests', 'limits']) {
        for (const r of ['cpu', 'memory']) assert.match(String(at(c, `resources.${kind}.${r}`)), /^\d+(\.\d+)?(m|Ki|Mi|Gi)?$/, `${where} ${kind}.${r}`);
      }
      assert.equal(str(c, 'livenessProbe.httpGet.path'), '/healthz', where);
      assert.equal(str(c, 'readinessProbe.httpGet.path'), '/readyz', where);
      assert.ok(list(c, 'ports').some((p) => p['name'] === str(c, 'livenessProbe.httpGet.port')), 'the probes use a declared port');
      const args = strings(c, 'args');
      assert.equal(args[0], 'serve');
      for (const a of args) if (a.startsWith('--')) assert.ok(SERVE_FLAGS.has(a), `${where}: flag ${a} is documented in deploy/README.md`);
      for (const m of args.join(' ').matchAll(/\$\((\w+)\)/g)) assert.ok(envOf(c, m[1]!), `${where}: $(${m[1]}) is defined`);
      assert.equal(flagValue(args, '--mode'), mode === 'sync' ? 'deployment' : mode);
      assert.equal(flagValue(args, '--auth'), 'kubernetes');
      const mounts = list(c, 'volumeMounts');
      for (const v of list(spec, 'volumes')) {
        if (v['hostPath'] === undefined) continue;
        assert.equal(mode, 'daemonset', `${where}: hostPath only in the daemonset mode`);
        assert.equal(str(v, 'hostPath.path'), '/var/log/pods');
        assert.equal(mounts.find((m) => m['name'] === v['name'])?.['readOnly'], true, 'the node log directory is mounted read-only');
      }
      const dataDir = flagValue(args, '--data-dir');
      const dataMount = mounts.find((m) => m['mountPath'] === dataDir);
      assert.ok(dataMount && list(spec, 'volumes').some((v) => v['name'] === dataMount['name'] && v['emptyDir'] !== undefined), 'the data dir is a writable emptyDir');
    }
    const ns = find(objs, 'Namespace');
    assert.equal(obj(ns, 'metadata.labels')['pod-security.kubernetes.io/enforce'], mode === 'daemonset' ? 'privileged' : 'restricted');
    assert.equal(obj(ns, 'metadata.labels')['pod-security.kubernetes.io/warn'], 'restricted');
  });
}

test('daemonset: its node only (NODE_NAME from spec.nodeName), CRI files read-only', () => {
  const c = container(workload(get('daemonset')));
  assert.equal(str(envOf(c, 'NODE_NAME'), 'valueFrom.fieldRef.fieldPath'), 'spec.nodeName');
  const args = strings(c, 'args');
  assert.equal(flagValue(args, '--node-name'), '$(NODE_NAME)');
  assert.equal(flagValue(args, '--logs'), 'cri');
  assert.equal(flagValue(args, '--cri-log-root'), '/var/log/pods');
});

test('sharded: replicas and shard count agree, the ordinal comes from the pod-index label, peers through a headless Service', () => {
  const objs = get('sharded');
  const w = workload(objs);
  const c = container(w);
  assert.ok(Number(at(w, 'spec.replicas')) >= 2);
  assert.equal(str(envOf(c, 'SHARD_COUNT'), 'value'), String(at(w, 'spec.replicas')));
  assert.equal(str(envOf(c, 'SHARD_INDEX'), 'valueFrom.fieldRef.fieldPath'), "metadata.labels['apps.kubernetes.io/pod-index']");
  const args = strings(c, 'args');
  assert.equal(flagValue(args, '--shard-count'), '$(SHARD_COUNT)');
  assert.equal(flagValue(args, '--shard-index'), '$(SHARD_INDEX)');
  const headless = find(objs, 'Service', str(w, 'spec.serviceName'));
  assert.ok(headless);
  assert.equal(str(headless, 'spec.clusterIP'), 'None');
  assert.equal(at(headless, 'spec.publishNotReadyAddresses'), true);
  assert.ok(flagValue(args, '--peers-dns')?.startsWith(`${str(headless, 'metadata.name')}.`));
});

test('sharded: scaling the way docs/install.md shows keeps replicas and shard count equal', () => {
  const objs = renderFrom((rel) => [
    'resources:',
    `  - ${rel('overlays/sharded')}`,
    'patches:',
    '  - patch: |-',
    '      apiVersion: apps/v1',
    '      kind: StatefulSet',
    '      metadata: {name: fnscope, namespace: fnscope}',
    '      spec:',
    '        replicas: 5',
    '        template:',
    '          spec:',
    '            containers:',
    '              - name: collector',
    '                env:',
    '                  - {name: SHARD_COUNT, value: "5"}',
  ]);
  const w = workload(objs);
  const c = container(w);
  assert.equal(at(w, 'spec.replicas'), 5);
  assert.equal(str(envOf(c, 'SHARD_COUNT'), 'value'), '5');
  assert.ok(envOf(c, 'SHARD_INDEX'), 'the patch merged into the env list, not replaced it');
});

for (const mode of MODES) {
  test(`${mode}: Service and NetworkPolicy select the collector pods`, () => {
    const objs = get(mode);
    const labels = obj(workload(objs), 'spec.template.metadata.labels');
    const matches = (sel: Obj): boolean => Object.entries(sel).every(([k, v]) => labels[k] === v);
    const svc = find(objs, 'Service', 'fnscope');
    assert.ok(matches(obj(svc, 'spec.selector')));
    assert.equal(at(svc, 'spec.ports.0.port'), 9464);
    const np = find(objs, 'NetworkPolicy');
    assert.ok(matches(obj(np, 'spec.podSelector.matchLabels')));
    assert.deepEqual(at(np, 'spec.policyTypes'), ['Ingress']);
    assert.deepEqual(at(np, 'spec.ingress.0.ports'), [{ port: 9464, protocol: 'TCP' }]);
  });
}

/** Every permission the collector's service account holds, as "scope group/resource verb". */
function permissions(objs: Obj[]): string[] {
  const out = new Set<string>();
  for (const b of objs.filter((o) => kindOf(o) === 'ClusterRoleBinding' || kindOf(o) === 'RoleBinding')) {
    if (!list(b, 'subjects').some((s) => s['kind'] === 'ServiceAccount' && s['name'] === 'fnscope' && s['namespace'] === 'fnscope')) continue;
    const role = find(objs, str(b, 'roleRef.kind') ?? '', str(b, 'roleRef.name'));
    assert.ok(role, `role ${str(b, 'roleRef.name')} is rendered`);
    const scope = kindOf(b) === 'RoleBinding' ? `ns:${str(b, 'metadata.namespace')}` : 'cluster';
    for (const rule of list(role, 'rules')) {
      for (const verb of strings(rule, 'verbs')) {
        assert.notEqual(verb, '*', 'no wildcard verbs');
        const groups = rule['apiGroups'] === undefined ? [] : strings(rule, 'apiGroups');
        const resources = rule['resources'] === undefined ? [] : strings(rule, 'resources');
        for (const g of groups) for (const r of resources) {
          assert.notEqual(r, '*', 'no wildcard resources');
          out.add(`${scope} ${g}/${r} ${verb}`);
        }
        for (const u of rule['nonResourceURLs'] === undefined ? [] : strings(rule, 'nonResourceURLs')) out.add(`${scope} url:${u} ${verb}`);
      }
    }
  }
  return [...out].sort();
}

const READ = ['get', 'list', 'watch'];
const COMMON = [
  ...READ.map((v) => `cluster /pods ${v}`),
  ...['functions', 'httptriggers', 'cronjobtriggers'].flatMap((r) => READ.map((v) => `cluster kubeless.io/${r} ${v}`)),
  'cluster authentication.k8s.io/tokenreviews create',
  'cluster authorization.k8s.io/subjectaccessreviews create',
];
const POD_LOGS = ['cluster /pods/log get'];
const PEERS = ['/', '/api/v1/*', '/favicon.ico', '/index.html', '/metrics', '/ui/*'].map((u) => `cluster url:${u} get`);
const ALL_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const SYNC = [...ALL_VERBS.map((v) => `ns:fnscope /configmaps ${v}`), ...ALL_VERBS.map((v) => `ns:fnscope monitoring.coreos.com/prometheusrules ${v}`)];

const EXPECTED: Record<Mode, string[]> = {
  deployment: [...COMMON, ...POD_LOGS],
  daemonset: [...COMMON],
  sharded: [...COMMON, ...POD_LOGS, ...PEERS],
  sync: [...COMMON, ...POD_LOGS, ...SYNC],
};

for (const mode of MODES) {
  test(`${mode}: RBAC is exactly what the mode needs`, () => {
    assert.deepEqual(permissions(get(mode)), [...EXPECTED[mode]].sort());
  });
}

test('write access exists only in the sync overlay, and only in its own namespace', () => {
  const writes = (m: Mode): string[] => permissions(get(m)).filter((p) => /\s(create|update|patch|delete)$/.test(p) && !/tokenreviews|subjectaccessreviews/.test(p));
  for (const m of ['deployment', 'daemonset', 'sharded'] as const) assert.deepEqual(writes(m), [], m);
  assert.ok(writes('sync').length > 0 && writes('sync').every((p) => p.startsWith('ns:fnscope ')));
});
