// Prints what `fnscope parse` finds in each corpus log, and with --write saves it as the log's golden
// file (<case>.json, a JSON array of the records). Review every printed record against its .log by eye
// before writing; afterwards the corpus test compares the parser with these files.
// With --check it prints only the logs whose records differ from their golden file.
// Usage: node scripts/corpus/golden.ts [--write | --check] [--full] DIR_OR_FILE...
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../collector/src/util/clock.ts';
import { TraceExtractor, createParsers } from '../../collector/src/stacktrace/index.ts';
import type { ExceptionRecord } from '../../collector/src/stacktrace/index.ts';

const args = process.argv.slice(2);
const write = args.includes('--write');
const full = args.includes('--full');
const check = args.includes('--check');
const targets = args.filter((a) => !a.startsWith('--'));

function records(text: string): ExceptionRecord[] {
  const out: ExceptionRecord[] = [];
  const x = new TraceExtractor({ parsers: createParsers(), clock: systemClock, onRecord: (r) => out.push(r) });
  x.write(text);
  x.end();
  return out;
}

const files = targets.flatMap((t) =>
  statSync(t).isDirectory() ? readdirSync(t).filter((f) => f.endsWith('.log')).sort().map((f) => join(t, f)) : [t],
);
for (const file of files) {
  const recs = records(readFileSync(file, 'utf8'));
  if (check) {
    let golden: string;
    try {
      golden = readFileSync(file.replace(/\.log$/, '.json'), 'utf8');
    } catch {
      golden = '(missing)';
    }
    if (golden !== JSON.stringify(recs, null, 1) + '\n') console.log(`differs: ${file}`);
    continue;
  }
  console.log(`== ${file}: ${recs.length} event(s)`);
  for (const r of recs) {
    if (full) {
      console.log(JSON.stringify(r, null, 1));
      continue;
    }
    const top = r.frames[0];
    console.log(
      `  ${r.first_line}-${r.last_line} ${r.language} ${r.type}: ${r.message.slice(0, 100)} | ${r.frames.length} frames` +
        (top ? ` | top ${top.function || '?'} ${top.file}:${top.line}` : '') +
        (r.causes.length ? ` | causes ${r.causes.map((c) => c.type).join(', ')}` : ''),
    );
  }
  if (write) writeFileSync(file.replace(/\.log$/, '.json'), JSON.stringify(recs, null, 1) + '\n');
}
