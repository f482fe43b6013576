import type { TailRecord } from '../../events/records.ts';
import type { Palette } from './colors.ts';

export type RecordFormat = 'text' | 'json' | 'raw';

export interface RecordFormatOptions {
  format: RecordFormat;
  timestamps: boolean;
  colors: Palette;
}

/**
 * One record as `fnscope logs` prints it. text: "pod container │ line", with each stack trace as one
 * block whose first line names the exception type; json: the record as one JSON line; raw: the text
 * only. Gaps always show, as a marked line.
 */
export function formatRecord(r: TailRecord, o: RecordFormatOptions): string {
  if (o.format === 'json') return JSON.stringify(r) + '\n';
  const c = o.colors;
  if (r.kind === 'gap') {
    const text = `──── ${r.pod}: ${r.reason} ────`;
    return (o.format === 'raw' ? text : c.yellow(text)) + '\n';
  }
  const lines = r.kind === 'line' ? [r.text] : r.lines;
  if (o.format === 'raw') return lines.join('\n') + '\n';
  const ts = o.timestamps ? `${c.dim(r.ts || new Date(r.time).toISOString())} ` : '';
  const prefix = `${ts}${c.pod(r.pod)(`${r.pod} ${r.container}`)} `;
  if (r.kind === 'line') {
    const text = r.access && (r.access.status >= 500 || r.access.status === 408) ? c.red(r.text) : r.text;
    return `${prefix}${text}\n`;
  }
  const head = `${c.red(`✖ ${r.type}`)}${r.message ? `: ${c.bold(r.message)}` : ''} ${c.dim(`[${r.language}, ${r.frames.length} frames, group ${r.fingerprint}]`)}`;
  const bar = c.red('│');
  return `${prefix}${head}\n${r.lines.map((l) => `${prefix}${bar} ${l}`).join('\n')}\n`;
}
