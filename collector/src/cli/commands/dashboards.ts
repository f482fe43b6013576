import type { Command } from '../command.ts';
import { readTokenFlag } from '../token.ts';
import { UsageError, describeError, isFnscopeError } from '../../util/errors.ts';
import { EMPTY_INVENTORY, loadInventory, type Inventory } from '../../generate/inventory.ts';
import { parseLabelFlags, resolveConfig, type GenerateConfig } from '../../generate/config.ts';
import { DASHBOARDS_FORMATS, generateDashboardFiles, type DashboardsFormat } from '../../generate/dashboards/files.ts';
import { writeGeneratedFiles } from '../../generate/output.ts';

export const dashboardsCommand: Command = {
  usage: 'fnscope dashboards --out DIR [--format json|configmap|provisioning] [--server URL]',
  help: `Writes fnscope's Grafana dashboards: "fnscope / Functions" (every function: calls, errors,
timeouts, latency, pods, scrapes, top lists, exceptions, SLO burn and budget) and "fnscope / Function"
(one function per method and per pod, response codes, error groups, SLOs, pod restarts). They query
Prometheus through a datasource variable and use the recording rules of "fnscope alerts". See
docs/dashboards.md.

With --server, one more dashboard per function of that collector's inventory is written, pinned to
the function with its SLO targets drawn in, and error-group links point at that collector.

Flags:
      --out DIR               directory to write into (created when missing)
      --format F              json (default): dashboard JSON files;
                              configmap: ConfigMaps labelled grafana_dashboard="1" for the Grafana sidecar;
                              provisioning: dashboards/ plus provisioning/{dashboards,datasources}/fnscope.yaml
      --server URL            read the inventory of this running collector (GET /api/v1/functions)
      --token-file F          bearer token for --server ($FNSCOPE_TOKEN)
      --fnscope-url URL       where browsers reach the collector, for error-group links
                              (default: --server, else http://127.0.0.1:9464)
      --selector M            extra label matchers on every function series, e.g. 'job="fnscope"'
      --folder NAME           Grafana folder (sidecar annotation, provisioning provider; default fnscope)
      --namespace NS          namespace of the ConfigMaps
      --label K=V             extra label on the ConfigMaps (repeatable)
      --prometheus-url URL    datasource URL in the provisioning file (default http://127.0.0.1:9090)

Examples:
  fnscope dashboards --out dashboards
  fnscope dashboards --out grafana --format provisioning --prometheus-url http://prometheus:9090
  fnscope dashboards --out k8s --format configmap --namespace monitoring --server http://127.0.0.1:9464
`,
  options: {
    out: { type: 'string' },
    format: { type: 'string', default: 'json' },
    server: { type: 'string' },
    'token-file': { type: 'string' },
    'fnscope-url': { type: 'string' },
    selector: { type: 'string' },
    folder: { type: 'string' },
    namespace: { type: 'string' },
    label: { type: 'string', multiple: true },
    'prometheus-url': { type: 'string' },
  },
  async run(args, ctx) {
    const v = args.values;
    const out = v['out'];
    if (typeof out !== 'string' || out === '') throw new UsageError('--out DIR is required');
    const format = String(v['format']) as DashboardsFormat;
    if (!DASHBOARDS_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${DASHBOARDS_FORMATS.join(', ')}`);
    const server = typeof v['server'] === 'string' ? v['server'] : undefined;
    let cfg: GenerateConfig;
    try {
      const partial: Partial<GenerateConfig> = { objectLabels: parseLabelFlags((v['label'] as string[] | undefined) ?? []) };
      const url = typeof v['fnscope-url'] === 'string' ? v['fnscope-url'] : server;
      if (url !== undefined) partial.fnscopeUrl = url.replace(/\/+$/, '');
      if (typeof v['selector'] === 'string') partial.selector = v['selector'];
      if (typeof v['folder'] === 'string') partial.folder = v['folder'];
      if (typeof v['namespace'] === 'string') partial.namespace = v['namespace'];
      if (typeof v['prometheus-url'] === 'string') partial.prometheusUrl = v['prometheus-url'];
      cfg = resolveConfig(partial);
    } catch (e) {
      if (isFnscopeError(e)) throw new UsageError(e.message);
      throw e;
    }
    let inventory: Inventory = EMPTY_INVENTORY;
    if (server !== undefined) inventory = await loadInventory(server, { token: await readTokenFlag(v['token-file'], ctx.env) });
    const warn = (m: string): void => void ctx.stderr.write(`fnscope: warning: ${m}\n`);
    const files = generateDashboardFiles(inventory, cfg, format, warn);
    try {
      for (const path of await writeGeneratedFiles(out, files)) ctx.stdout.write(`wrote ${path}\n`);
    } catch (e) {
      ctx.stderr.write(`fnscope: cannot write to ${out}: ${describeError(e)}\n`);
      return 1;
    }
    return 0;
  },
};
