import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LOCATION_RE, MATCHING_RE, frameLine, isNodeVersion, isTopFrame, locationAt, nodejsInApp,
} from '../../../collector/src/stacktrace/languages/nodejs-lines.ts';
import type { Frame } from '../../../collector/src/stacktrace/types.ts';
import { corpusLines, generatedLines } from './lang-corpus.ts';

// The readers as they were, with slices and LOCATION_RE: the reference for the ones that read in place.

function referenceFrameOf(rest: string): Frame | null {
  let body = rest.endsWith(' {') ? rest.slice(0, -2) : rest.endsWith(',') ? rest.slice(0, -1) : rest;
  if (body.startsWith('async ')) body = body.slice(6);
  let fn = '';
  let loc = body;
  if (body.endsWith(')')) {
    const open = body.indexOf(' (');
    if (open > 0) {
      fn = body.slice(0, open);
      loc = body.slice(open + 2, -1);
    } else if (body.startsWith('(')) {
      loc = body.slice(1, -1);
    } else {
      return null;
    }
  }
  const comma = loc.lastIndexOf(', ');
  if (loc.startsWith('eval at ') && comma > 0) loc = loc.slice(comma + 2);
  const m = LOCATION_RE.exec(loc);
  if (m) {
    const file = m[1] ?? '';
    if (file.includes(' ') && !file.includes('/')) return null;
    return { file, line: Number(m[2]), column: Number(m[3]), function: fn, inApp: nodejsInApp(file) };
  }
  if (fn !== '' && (loc === '<anonymous>' || loc === 'native' || /^index \d+$/.test(loc))) {
    return { file: loc, line: null, function: fn, inApp: false };
  }
  return null;
}

function referenceFrameLine(line: string, indent = 4): Frame | null {
  if (line.charCodeAt(indent) !== 97 || !line.startsWith('at ', indent)) return null;
  for (let i = 0; i < indent; i++) if (line.charCodeAt(i) !== 32) return null;
  return referenceFrameOf(line.slice(indent + 3));
}

function referenceIsTopFrame(line: string): boolean {
  if (line.charCodeAt(0) !== 32 || line.charCodeAt(4) === 32 || !line.startsWith('    ')) return false;
  if (line.charCodeAt(4) !== 97 || line.charCodeAt(5) !== 116 || line.charCodeAt(6) !== 32) return MATCHING_RE.test(line);
  let end = line.length;
  if (line.endsWith(' {')) end -= 2;
  else if (line.charCodeAt(end - 1) === 44) end--;
  const c = line.charCodeAt(end - 1);
  if (c === 41) return line.lastIndexOf(' (', end) > 6 || line.charCodeAt(7) === 40;
  if (!(c >= 48 && c <= 57)) return false;
  let from = 7;
  if (line.startsWith('async ', 7)) from = 13;
  const sp = line.indexOf(' ', from);
  if (sp >= 0 && sp < end) return false;
  return LOCATION_RE.test(line.slice(from, end));
}

function check(line: string): void {
  const what = JSON.stringify(line);
  for (const indent of [4, 6]) assert.deepEqual(frameLine(line, indent), referenceFrameLine(line, indent), `${what} at ${indent}`);
  assert.equal(isTopFrame(line), referenceIsTopFrame(line), what);
  assert.equal(isNodeVersion(line), /^Node\.js v\d+/.test(line), what);
  const m = LOCATION_RE.exec(line);
  assert.equal(locationAt(line, 0, line.length), m ? m[1]!.length : -1, what);
}

const EDGES = [
  '', '    at', '    at ', '    at x', '    at {', '    at  {', '    at ,', '    at ()', '    at (a:1:2)', '    at x (a:1:2)',
  '    at x (a:1:2) {', '    at x (a:1:2),', '    at x (a:1:2) ,', '    at x ( a:1:2)', '    at  (a:1:2)', '    at x (a:1:2)) {',
  '    at async', '    at async ', '    at async {', '    at async x (a:1:2)', '    at async a:1:2', '    at async (a:1:2)',
  '    at a:1:2', '    at a:1:2 {', '    at a:1:2,', '    at :1:2', '    at a::1:2', '    at a:1:2:3', '    at a:1:', '    at a:1',
  '    at a:x:2', '    at 1:2', '    at :1', '    at a b:1:2', '    at a/b c:1:2', '    at x (a b:1:2)', '    at x (a/b c:1:2)',
  '    at x (<anonymous>)', '    at x (native)', '    at x (index 0)', '    at x (index x)', '    at (<anonymous>)', '    at <anonymous>',
  '    at x (eval at y (a:1:2), <anonymous>:3:4)', '    at eval (eval at y (a:1:2), <anonymous>:3:4)', '    at x (eval at , a:1:2)',
  '    at x (eval at y, z)', '    at eval at y, a:1:2', '    at x (a\r:1:2)', '    at x (a:1:2\n)', '    at x (a\u2028b:1:2)', '    at a\n:1:2',
  '    at x (a:\u0661:2)', '    at x (\u00e9:1:2)', '    at x (a (b:1:2)', '    at x (a) (b:1:2)', '    at new X (a:1:2)',
  '      at x (a:1:2)', '\tat x (a:1:2)', '   at x (a:1:2)', '    ... 3 lines matching cause stack trace ...',
  '    [... lines matching original stack trace ...]', 'Node.js v24', 'Node.js v', 'Node.js vx', 'node.js v1',
  '    at x (a:1:2) { a', '    at x (a:1:2) {{', '    at x (a:12345678901234567890:2)',
];

test('frameLine, isTopFrame, isNodeVersion and locationAt agree with the reference readers on edge cases', () => {
  for (const line of EDGES) check(line);
});

test('frameLine and isTopFrame agree with the reference readers on every line of the corpus and on generated lines', () => {
  for (const line of corpusLines()) check(line);
  const pieces = ['at ', 'async ', 'eval at ', 'x', ' ', ' (', '(', ')', ':', '1', '23', ', ', ' {', ',', '/', '\r', '<anonymous>', 'index 4'];
  for (const line of generatedLines(5, 30000, ['    at ', '      at ', '    ', ''], pieces, 9)) check(line);
});
