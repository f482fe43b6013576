import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { resolveConfig } from '../../../collector/src/generate/config.ts';
import { generateRuleFiles } from '../../../collector/src/generate/alerts/index.ts';
import { promtool, tempFiles } from '../promtool.ts';

const labels = 'job="fnscope",instance="fnscope:9464",namespace="shop",function="checkout",pod="checkout-1",runtime="python3.11",method="POST"';

test('test profile: an error burst pages within seconds and resolves soon after the errors stop', async (t) => {
  const [rules] = generateRuleFiles({ functions: [] }, resolveConfig({ profile: 'test' }), 'rules');
  assert.ok(rules);
  // 10 calls/s; from 60s to 180s half of them answer 500; a sample every second.
  const scenario = {
    rule_files: ['fnscope.rules.yaml'],
    evaluation_interval: '1s',
    group_eval_order: ['fnscope-function-rates', 'fnscope-slo-objectives', 'fnscope-slo-ratios', 'fnscope-slo-alerts', 'fnscope-function-alerts', 'fnscope-collector-alerts'],
    tests: [
      {
        interval: '1s',
        input_series: [
          { series: `function_calls_total{${labels}}`, values: '0+10x600' },
          { series: `fnscope_function_responses_total{${labels},code="200"}`, values: '0+10x60 605+5x119 1210+10x419' },
          { series: `fnscope_function_responses_total{${labels},code="500"}`, values: '0+0x60 5+5x119 600+0x419' },
        ],
        promql_expr_test: [
          { expr: 'ALERTS{alertname="FunctionErrorBudgetBurn",severity="critical"}', eval_time: '55s', exp_samples: [] },
          {
            expr: 'ALERTS{alertname="FunctionErrorBudgetBurn",alertstate="firing",long="1m"}',
            eval_time: '75s',
            exp_samples: [
              {
                labels: 'ALERTS{alertname="FunctionErrorBudgetBurn",alertstate="firing",namespace="shop",function="checkout",severity="critical",slo="availability",long="1m",short="5s"}',
                value: 1,
              },
            ],
          },
          { expr: 'ALERTS{alertname="FunctionErrorBudgetBurn",severity="critical"}', eval_time: '250s', exp_samples: [] },
        ],
      },
    ],
  };
  const { dir, cleanup } = await tempFiles({ 'fnscope.rules.yaml': rules.content, 'scenario.yaml': stringify(scenario) });
  t.after(cleanup);
  const r = await promtool(['test', 'rules', 'scenario.yaml'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});
