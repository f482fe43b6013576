// Grades `fnscope parse` (the real CLI, spawned) on the corpus of real runtime output in
// testdata/stacktraces/: each folder's logs go through one run, joined by `==> file <==` lines as
// `tail` prints them. An event is detected when an output record overlaps its golden line span; it is
// right when type, message, frame count and top frame all match. Negative logs must yield nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../testdata/stacktraces/', import.meta.url);
const CLI = fileURLToPath(new URL('../../collector/src/cli/main.ts', import.meta.url));
const GRADED = ['python', 'nodejs', 'java', 'go', 'ruby', 'php', 'dotnet', 'heldout'].filter((d) =>
  existsSync(new URL(d + '/', ROOT)),
);

interface Frame {
  file: string;
  line: number | null;
  function: string;
}
interface Rec {
  language: string;
  type: string;
  message: string;
  first_line: number;
  last_line: number;
  frames: Frame[];
  causes: Array<{ type: string; message: string }>;
  fingerprint: string;
}
interface Part {
  name: string;
  offset: number;
  lines: number;
  golden: Rec[];
}

function runParse(input: string): Promise<Rec[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'parse'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`fnscope parse exited ${code}: ${err}`));
      else resolve(out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec));
    });
    child.stdin.end(input);
  });
}

/**
 * A case's golden records: `<case>.json` holds them whole, or (ruby, php, dotnet) holds the parsed traces
 * with their line spans in `<case>.lines.json`.
 */
function readGolden(dir: string, name: string): Rec[] {
  const read = (suffix: string): unknown => JSON.parse(readFileSync(new URL(`${dir}/${name}${suffix}`, ROOT), 'utf8'));
  const recs = read('.json') as Rec[];
  if (!existsSync(new URL(`${dir}/${name}.lines.json`, ROOT))) return recs;
  const spans = read('.lines.json') as Array<[number, number]>;
  return recs.map((r, i) => ({ ...r, first_line: spans[i]![0], last_line: spans[i]![1] }));
}

/** One input for a folder: each log behind a `==> name <==` line; where each file's lines start. */
function folder(dir: string, withGolden: boolean): { input: string; parts: Part[] } {
  const parts: Part[] = [];
  let input = '';
  let line = 0;
  for (const f of readdirSync(new URL(dir + '/', ROOT)).filter((x) => x.endsWith('.log')).sort()) {
    let text = readFileSync(new URL(`${dir}/${f}`, ROOT), 'utf8');
    if (!text.endsWith('\n')) text += '\n';
    const n = text.split('\n').length - 1;
    const golden = withGolden ? readGolden(dir, f.replace(/\.log$/, '')) : [];
    input += `==> ${f} <==\n` + text;
    parts.push({ name: f, offset: line + 1, lines: n, golden });
    line += n + 1;
  }
  return { input, parts };
}

function sameTop(a: Frame | undefined, b: Frame | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.file === b.file && a.line === b.line && a.function === b.function;
}

interface Score {
  events: number;
  detected: number;
  falseEvents: number;
  right: number;
  wrong: string[];
}

function grade(parts: Part[], recs: Rec[]): Score {
  const s: Score = { events: 0, detected: 0, falseEvents: 0, right: 0, wrong: [] };
  const used = new Set<Rec>();
  for (const p of parts) {
    const mine = recs
      .filter((r) => r.first_line > p.offset && r.first_line <= p.offset + p.lines)
      .map((r) => ({ r, first: r.first_line - p.offset, last: r.last_line - p.offset }));
    for (const g of p.golden) {
      s.events++;
      let best: (typeof mine)[number] | undefined;
      let bestOverlap = 0;
      for (const m of mine) {
        if (used.has(m.r)) continue;
        const overlap = Math.min(m.last, g.last_line) - Math.max(m.first, g.first_line) + 1;
        if (overlap > bestOverlap) {
          best = m;
          bestOverlap = overlap;
        }
      }
      if (!best) {
        s.wrong.push(`${p.name}:${g.first_line} missed ${g.type}`);
        continue;
      }
      used.add(best.r);
      s.detected++;
      const r = best.r;
      const ok = r.type === g.type && r.message === g.message && r.frames.length === g.frames.length && sameTop(r.frames[0], g.frames[0]);
      if (ok) s.right++;
      else s.wrong.push(`${p.name}:${g.first_line} got ${r.type}: ${r.message.slice(0, 60)} (${r.frames.length} frames)`);
    }
    for (const m of mine) if (!used.has(m.r)) {
      s.falseEvents++;
      s.wrong.push(`${p.name}:${m.first} false event ${m.r.type}`);
    }
  }
  return s;
}

const scores = new Map<string, Score>();

for (const dir of GRADED) {
  test(`fnscope parse on testdata/stacktraces/${dir}`, async () => {
    const { input, parts } = folder(dir, true);
    assert.ok(parts.length > 0, `no logs in ${dir}`);
    const s = grade(parts, await runParse(input));
    scores.set(dir, s);
    const f1 = (2 * s.detected) / (2 * s.detected + s.falseEvents + (s.events - s.detected));
    console.log(
      `# ${dir}: ${s.events} events, detection F1 ${f1.toFixed(3)}, type/message/frames/top right ${s.right}/${s.events} = ${((100 * s.right) / s.events).toFixed(1)} %`,
    );
    for (const w of s.wrong) console.log(`#   ${w}`);
  });
}

test('no events on ordinary log lines (testdata/stacktraces/negative)', async () => {
  const { input, parts } = folder('negative', false);
  const recs = await runParse(input);
  const lines = parts.reduce((n, p) => n + p.lines, 0);
  console.log(`# negative: ${parts.length} logs, ${lines} lines, ${recs.length} false events`);
  assert.deepEqual(recs.map((r) => `${r.first_line} ${r.type}: ${r.message}`), []);
});

test('overall score >= 95 % right and detection F1 >= 0.97', () => {
  let events = 0;
  let detected = 0;
  let falseEvents = 0;
  let right = 0;
  for (const s of scores.values()) {
    events += s.events;
    detected += s.detected;
    falseEvents += s.falseEvents;
    right += s.right;
  }
  assert.equal(scores.size, GRADED.length, 'a corpus folder failed to run');
  const f1 = (2 * detected) / (2 * detected + falseEvents + (events - detected));
  const accuracy = right / events;
  console.log(`# overall: ${events} events, detection F1 ${f1.toFixed(3)}, right ${right}/${events} = ${(100 * accuracy).toFixed(1)} %`);
  assert.ok(accuracy >= 0.95, `accuracy ${accuracy}`);
  assert.ok(f1 >= 0.97, `F1 ${f1}`);
});
