import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { parseSyncKinds } from '../../collector/src/sync/index.ts';

const OVERLAY = join(import.meta.dirname, '..', '..', 'deploy', 'overlays', 'sync');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

test('the sync overlay grants what sync does: server-side apply (patch), list and delete of ConfigMaps and PrometheusRules', () => {
  const docs = parseAllDocuments(readFileSync(join(OVERLAY, 'rbac-sync.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string; rules?: Rule[] });
  const role = docs.find((d) => d.kind === 'Role');
  assert.ok(role?.rules, 'a namespaced Role, not a ClusterRole');
  const grants = (group: string, resource: string): string[] => role.rules!.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);
  for (const [group, resource] of [['', 'configmaps'], ['monitoring.coreos.com', 'prometheusrules']] as const) {
    for (const verb of ['patch', 'list', 'delete']) assert.ok(grants(group, resource).includes(verb), `${verb} ${resource}`);
  }
});

test("the sync overlay's arguments are valid sync flags", () => {
  const k = parse(readFileSync(join(OVERLAY, 'kustomization.yaml'), 'utf8')) as { patches: Array<{ patch: string }> };
  const args = k.patches.flatMap((p) => (parse(p.patch) as Array<{ value: string }>).map((op) => op.value));
  const kinds = args[args.indexOf('--sync') + 1];
  assert.ok(kinds !== undefined, '--sync has a value');
  assert.deepEqual([...parseSyncKinds(kinds)].sort(), ['dashboards', 'rules']);
  assert.equal(args[args.indexOf('--sync-namespace') + 1], 'fnscope');
});
