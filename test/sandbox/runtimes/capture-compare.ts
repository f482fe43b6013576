// Reading the real runtime captures and normalising what may differ between two runs (times,
// durations, ports, metric values), so that the rest can be compared exactly.

/** One request of a *-requests.txt transcript and the response the real runtime gave. */
export interface CapturedExchange {
  title: string;
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export function parseTranscript(text: string): CapturedExchange[] {
  const out: CapturedExchange[] = [];
  for (const section of text.split(/^### /m).slice(1)) {
    const lines = section.split('\n');
    const title = lines[0]!;
    const statusLine = lines.findIndex((l) => l.startsWith('HTTP/1.1 '));
    if (statusLine < 0) continue;
    const headers: Array<[string, string]> = [];
    let i = statusLine + 1;
    for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
      const line = lines[i]!.replace(/\r$/, '');
      const colon = line.indexOf(':');
      headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    }
    const bodyLines = lines.slice(i + 1);
    const end = bodyLines.findIndex((l) => l === 'server exit status 1');
    // Each body is followed by a blank line; the one before the server's exit note by two.
    const body = end >= 0 ? bodyLines.slice(0, end).join('\n').replace(/\n+$/, '') : bodyLines.join('\n').replace(/\n\n$/, '');
    out.push({ title, status: Number(lines[statusLine]!.split(' ')[1]), headers, body });
  }
  return out;
}

/** Lines of a capture file (without the empty string after the final newline). */
export function captureLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Access-line times and durations, listen addresses and the size of /metrics answers replaced. */
export function normaliseLogLine(line: string): string {
  return line
    .replace(/\[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\]/, '[TIME]')
    .replace(/ \d+\/\d+$/, ' S/US')
    .replace(/(GET \/metrics HTTP\/1\.1" 200) \d+/, '$1 SIZE')
    .replace(/http:\/\/[\d.]+:\d+\//, 'http://HOST:PORT/')
    .replace(/\(node:([a-z_/]+):\d+:\d+\)/, '(node:$1:L:C)');
}

/** Probe requests of the sandbox kubelet: the captures were taken without a kubelet. */
export function withoutProbes(lines: string[]): string[] {
  return lines.filter((l) => !l.includes('"kube-probe/'));
}

/** Exposition text with every sample value replaced by V: what must stay the same between runs. */
export function metricShape(text: string): string[] {
  return captureLines(text).map((l) => (l.startsWith('#') || l === '' ? l : l.replace(/ [^ ]+$/, ' V')));
}

/** Sample values by series ("name{labels}"). */
export function metricValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of captureLines(text)) {
    if (line.startsWith('#') || line === '') continue;
    const sp = line.lastIndexOf(' ');
    out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  return out;
}

/** Values of the series whose name starts with prefix. */
export function seriesWithPrefix(values: Map<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of values) if (k.startsWith(prefix)) out[k] = v;
  return out;
}
