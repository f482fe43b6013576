/**
 * `fnscope logs -f` latency: from a line's timestamp (written by the function's process) to the line
 * reaching the terminal, through the whole path (function process → pod log stream → collector
 * pipeline → tail WebSocket → the CLI's reorder window → stdout), against `fnscope serve --sandbox`
 * with its demo traffic. The reference, in the same run and on the same lines: the same command with
 * `--reorder 0` (no ordering across pods, what stern does). Also counts lines printed out of time order.
 *
 *   node bench/logs-follow.ts [--seconds 15] [--rate 20] [--function NAME]
 *
 * Both commands run at once, as child processes, each with `-o json --tail 0`; records of the first
 * second after a command's first record are reported apart (the reorder window holds them in full,
 * because pods' backlogs may still be arriving). One machine, one clock.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startServe } from '../test/support/serve.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, rate: { type: 'string', default: '20' }, function: { type: 'string' } } });
const SECONDS = Number(values.seconds);
const MAIN = new URL('../collector/src/cli/main.ts', import.meta.url).pathname;

interface Result {
  name: string;
  steady: number[];
  first: number[];
  outOfOrder: number;
}

function follow(name: string, server: string, extra: string[]): Promise<Result> {
  const args = [MAIN, 'logs', ...(values.function ? [values.function] : []), '-f', '-o', 'json', '--tail', '0', '--server', server, ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const res: Result = { name, steady: [], first: [], outOfOrder: 0 };
  let buf = '';
  let firstAt = 0;
  let newest = 0;
  child.stdout.on('data', (d: Buffer) => {
    const now = Date.now();
    buf += d.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const r = JSON.parse(buf.slice(0, nl)) as { kind: string; time: number };
      buf = buf.slice(nl + 1);
      if (r.kind === 'gap') continue;
      firstAt ||= now;
      (now - firstAt < 1000 ? res.first : res.steady).push(now - r.time);
      if (r.time < newest) res.outOfOrder++;
      newest = Math.max(newest, r.time);
    }
  });
  return new Promise((resolve) => {
    setTimeout(() => child.kill('SIGINT'), SECONDS * 1000);
    child.on('exit', () => resolve(res));
  });
}

const q = (xs: number[], p: number): string => {
  if (xs.length === 0) return '-';
  const s = xs.slice().sort((a, b) => a - b);
  return String(s[Math.min(s.length - 1, Math.floor(p * s.length))]);
};

const serve = await startServe(['--sandbox-rate', values.rate]);
try {
  await new Promise((r) => setTimeout(r, 3000)); // pods ready, streams open
  const results = await Promise.all([follow('fnscope logs -f (reorder 1s)', serve.url, []), follow('fnscope logs -f --reorder 0 (reference)', serve.url, ['--reorder', '0'])]);
  console.log(`fnscope logs ${values.function ?? '(every function)'} -f against fnscope serve --sandbox-rate ${values.rate}, ${SECONDS} s; latency from a line's timestamp to stdout`);
  console.log('');
  console.log(`${'command'.padEnd(42)} ${'lines'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'out of order'.padStart(13)} ${'first 1 s: lines, p50 ms'.padStart(25)}`);
  for (const r of results) {
    const max = r.steady.length === 0 ? '-' : String(Math.max(...r.steady));
    console.log(
      `${r.name.padEnd(42)} ${String(r.steady.length).padStart(6)} ${q(r.steady, 0.5).padStart(7)} ${q(r.steady, 0.9).padStart(7)} ${q(r.steady, 0.99).padStart(7)} ${max.padStart(7)} ${String(r.outOfOrder).padStart(13)} ${`${r.first.length}, ${q(r.first, 0.5)}`.padStart(25)}`,
    );
  }
  const [ordered, reference] = results;
  const p50 = (xs: number[]): number => Number(q(xs, 0.5));
  console.log(`\nratio (ordered / reference), p50 latency after the first second: ${(p50(ordered.steady) / p50(reference.steady)).toFixed(2)}x`);
} finally {
  await serve.stop();
}
