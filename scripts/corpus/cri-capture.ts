// Runs a command and writes what it prints as a container runtime (CRI) log file would hold it:
// `<RFC3339Nano> <stdout|stderr> <P|F> <text>`, one record per line, in the order the lines arrived, and
// a line longer than --max bytes split into P records ending with an F record, as containerd does at 16 KiB.
// Usage: node scripts/corpus/cri-capture.ts [--max N] -- CMD ARGS...
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

const argv = process.argv.slice(2);
let max = 16384;
const sep = argv.indexOf('--');
if (sep < 0 || sep === argv.length - 1) {
  process.stderr.write('usage: cri-capture.ts [--max N] -- CMD ARGS...\n');
  process.exit(2);
}
const maxAt = argv.indexOf('--max');
if (maxAt >= 0 && maxAt < sep) max = Number(argv[maxAt + 1]);
const [cmd, ...args] = argv.slice(sep + 1) as [string, ...string[]];

const startNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

function stamp(): string {
  const ns = startNs + process.hrtime.bigint();
  const iso = new Date(Number(ns / 1_000_000n)).toISOString();
  return `${iso.slice(0, 19)}.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`;
}

function record(stream: 'stdout' | 'stderr', line: string): void {
  let rest = Buffer.from(line, 'utf8');
  while (rest.length > max) {
    process.stdout.write(`${stamp()} ${stream} P ${rest.subarray(0, max).toString('utf8')}\n`);
    rest = rest.subarray(max);
  }
  process.stdout.write(`${stamp()} ${stream} F ${rest.toString('utf8')}\n`);
}

const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
for (const stream of ['stdout', 'stderr'] as const) {
  const dec = new StringDecoder('utf8');
  let buf = '';
  child[stream].on('data', (d: Buffer) => {
    buf += dec.write(d);
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      record(stream, buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  child[stream].on('end', () => {
    buf += dec.end();
    if (buf !== '') record(stream, buf);
  });
}
child.on('close', () => process.exit(0));
