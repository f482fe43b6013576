import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../../collector/src/generate/config.ts';
import { EMPTY_INVENTORY } from '../../collector/src/generate/inventory.ts';
import { generateRuleFiles } from '../../collector/src/generate/alerts/index.ts';
import { generateDashboardFiles } from '../../collector/src/generate/dashboards/index.ts';
import type { GeneratedFile } from '../../collector/src/generate/output.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function sameAsCommitted(dir: string, ext: string, files: readonly GeneratedFile[], regenerate: string): Promise<void> {
  const committed = (await readdir(join(ROOT, dir))).filter((n) => n.endsWith(ext)).sort();
  assert.deepEqual(committed, files.map((f) => f.path).sort(), `files in ${dir}/ differ from the generated set; run: ${regenerate}`);
  for (const f of files) {
    const text = await readFile(join(ROOT, dir, f.path), 'utf8');
    assert.ok(text === f.content, `${dir}/${f.path} is not what the generator writes now; run: ${regenerate}`);
  }
}

test('dashboards/ holds exactly what "fnscope dashboards --out dashboards" writes', async () => {
  await sameAsCommitted('dashboards', '.json', generateDashboardFiles(EMPTY_INVENTORY, resolveConfig(), 'json'), 'fnscope dashboards --out dashboards');
});

test('alerts/ holds exactly what "fnscope alerts --out alerts" writes, in both formats', async () => {
  const cfg = resolveConfig();
  await sameAsCommitted(
    'alerts',
    '.yaml',
    [...generateRuleFiles(EMPTY_INVENTORY, cfg, 'rules'), ...generateRuleFiles(EMPTY_INVENTORY, cfg, 'prometheusrule')],
    'fnscope alerts --out alerts && fnscope alerts --out alerts --format prometheusrule',
  );
});
