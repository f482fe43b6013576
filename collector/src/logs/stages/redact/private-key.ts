/**
 * A PEM private key printed over several lines: the BEGIN line opens a block on that stream, every line
 * up to and including the END line is redacted. A block left open (no END line) closes after
 * MAX_PRIVATE_KEY_LINES lines, so one stray BEGIN cannot hide a stream for good.
 */
import { marker } from './rule.ts';

export const MAX_PRIVATE_KEY_LINES = 200;

const BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
export const PRIVATE_KEY_MARK = marker('private-key');

/** Where an unterminated block starts in this (already redacted) line, or -1. */
export function openingBlockAt(text: string): number {
  if (!text.includes('-----BEGIN')) return -1;
  const m = BEGIN.exec(text);
  return m === null ? -1 : m.index;
}

/** For a line inside an open block: the index just after its END marker, or -1 when the block goes on. */
export function blockEndAfter(text: string): number {
  if (!text.includes('-----END')) return -1;
  const m = END.exec(text);
  return m === null ? -1 : m.index + m[0].length;
}
