import type { CommandEntry } from '../command.ts';

/**
 * Every fnscope subcommand, in the order --help lists them, one line each. A command's module (and what
 * it imports: the Kubernetes client, express, the dashboard SDK) is loaded only when that command runs:
 * `fnscope --help`, `parse` or `errors` do not pay the collector's start-up.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'serve', summary: 'run the collector (discovery, scrapes, logs, errors, API, live tail, UI)', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'top', summary: 'show calls/s, errors, latency and pods of every function (all pods summed)', load: async () => (await import('./top.ts')).topCommand },
  { name: 'logs', summary: 'tail the logs of every pod of a function, stack traces as one block each', load: async () => (await import('./logs.ts')).logsCommand },
  { name: 'errors', summary: 'list error groups (one per kind of exception), or show one with its sample trace', load: async () => (await import('./errors.ts')).errorsCommand },
  { name: 'parse', summary: 'read logs on stdin, print each stack trace found as one JSON line', load: async () => (await import('./parse.ts')).parseCommand },
  { name: 'sandbox', summary: 'run the built-in Kubeless cluster (API server, function processes, demo traffic)', load: async () => (await import('./sandbox.ts')).sandboxCommand },
  { name: 'call', summary: 'invoke a function through the Kubernetes API server (sandbox or any cluster)', load: async () => (await import('./call.ts')).callCommand },
  { name: 'dashboards', summary: 'write Grafana dashboards (functions overview, function detail) as JSON, ConfigMaps or provisioning', load: async () => (await import('./dashboards.ts')).dashboardsCommand },
  { name: 'alerts', summary: 'write Prometheus recording and alerting rules (SLO burn rates, pods, scrapes, the collector)', load: async () => (await import('./alerts.ts')).alertsCommand },
];
