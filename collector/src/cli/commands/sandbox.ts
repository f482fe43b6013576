import type { Command, CommandContext, ParsedArgs } from '../command.ts';
import { UsageError } from '../../util/errors.ts';
import { createLogger } from '../../util/logger.ts';
import { rateFlag } from '../traffic-rate.ts';
import type { SandboxOptions } from '../../sandbox/index.ts';

function intFlag(name: string, v: unknown, min: number, max: number): number | undefined {
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${v}"`);
  return n;
}

async function run(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const v = args.values;
  const opts: SandboxOptions = {
    logger: createLogger({ destination: ctx.stderr }),
    traffic: v['no-traffic'] !== true,
  };
  const port = intFlag('api-port', v['api-port'], 0, 65535);
  if (port !== undefined) opts.apiPort = port;
  const rate = rateFlag(v['rate']);
  if (rate !== undefined) opts.rate = rate;
  if (typeof v['kubeconfig'] === 'string') opts.kubeconfigPath = v['kubeconfig'];
  if (typeof v['data-dir'] === 'string') opts.dataDir = v['data-dir'];
  if (typeof v['api-host'] === 'string') opts.apiHost = v['api-host'];
  if (ctx.signal.aborted) return 0;
  const { startSandbox } = await import('../../sandbox/index.ts');
  const sb = await startSandbox(opts);
  ctx.stdout.write(`kubeconfig: ${sb.kubeconfigPath}\n`);
  ctx.stderr.write(`fnscope sandbox: API at ${sb.apiUrl}; try: kubectl --kubeconfig ${sb.kubeconfigPath} get functions,pods (Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sb.stop();
  return 0;
}

export const sandboxCommand: Command = {
  usage: 'fnscope sandbox [--kubeconfig PATH] [--api-port N] [--data-dir D] [--no-traffic] [--rate N]',
  help: `Starts an emulated Kubernetes API server on loopback with Kubeless Functions whose pods are real
local processes, writes a kubeconfig for it, prints "kubeconfig: PATH" once the API answers, and runs
until interrupted (SIGINT/SIGTERM), then stops every function process.

Flags:
  --kubeconfig PATH  where to write the kubeconfig (default DATA_DIR/sandbox/kubeconfig)
  --api-port N       API server port (default 0: any free port)
  --api-host H       API server address (default 127.0.0.1)
  --data-dir D       data folder (default .data)
  --no-traffic       do not call the demo functions
  --rate N           demo traffic, calls per second over all functions (default 2)

Example:
  fnscope sandbox --kubeconfig /tmp/sandbox.kubeconfig &
  kubectl --kubeconfig /tmp/sandbox.kubeconfig get pods -w -l function=hello
`,
  options: {
    kubeconfig: { type: 'string' },
    'api-port': { type: 'string' },
    'api-host': { type: 'string' },
    'data-dir': { type: 'string' },
    'no-traffic': { type: 'boolean' },
    rate: { type: 'string' },
  },
  run,
};
