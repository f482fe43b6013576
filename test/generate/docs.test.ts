import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../../collector/src/generate/config.ts';
import { COLLECTOR } from '../../collector/src/generate/names.ts';
import { METRICS } from '../../collector/src/generate/promql/sources.ts';
import { genericRuleFile, isAlertingRule } from '../../collector/src/generate/alerts/index.ts';
import { allPanels, generateDashboards, isRow } from '../../collector/src/generate/dashboards/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string): Promise<string> => readFile(join(ROOT, path), 'utf8');
const rules = genericRuleFile(resolveConfig()).groups.flatMap((g) => g.rules);

test('every alert has a runbook page with meaning, impact, diagnosis and mitigation', async () => {
  for (const name of new Set(rules.filter(isAlertingRule).map((a) => a.alert))) {
    const path = join('docs', 'runbooks', `${name}.md`);
    assert.ok(existsSync(join(ROOT, path)), `${path} is missing`);
    const text = await read(path);
    assert.match(text, new RegExp(`^# ${name}\\n`));
    for (const section of ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation']) assert.ok(text.includes(section), `${path}: ${section}`);
  }
});

test('docs/alerts.md lists every alert with its runbook and every recording rule', async () => {
  const doc = await read('docs/alerts.md');
  for (const r of rules) {
    if (isAlertingRule(r)) assert.ok(doc.includes(`[runbook](runbooks/${r.alert}.md)`), r.alert);
    else if (!/:rate(30m|1h|2h|6h|1d|3d|30d)$/.test(r.record)) assert.ok(doc.includes(`\`${r.record}\``), r.record);
  }
});

test('docs/dashboards.md describes every panel of both dashboards', async () => {
  const doc = await read('docs/dashboards.md');
  for (const g of generateDashboards({ functions: [] }, resolveConfig())) {
    for (const p of allPanels(g.dashboard)) {
      if (!isRow(p)) assert.ok(doc.includes(p.title ?? ''), `panel "${p.title}" of ${g.dashboard.uid}`);
    }
  }
});

test('docs/metrics.md defines every series the rules and dashboards read', async () => {
  const doc = await read('docs/metrics.md');
  for (const name of [...Object.values(COLLECTOR), ...Object.values(METRICS)]) assert.ok(doc.includes(`\`${name}\``), name);
});
