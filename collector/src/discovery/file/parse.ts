/**
 * Prometheus `file_sd` files: a YAML or JSON list of `{targets: ["host:port", ...], labels: {...}}`.
 * `__scheme__` and `__metrics_path__` set how targets are scraped; other labels starting with `__` are
 * dropped, the rest label every target of the entry (`namespace`, `function`, `runtime`, ...).
 */
import { parse as parseYaml } from 'yaml';
import { ErrorCodes, FnscopeError } from '../../util/errors.ts';
import type { Scheme, Target, TargetGroup } from '../types.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function invalid(path: string, message: string): FnscopeError {
  return new FnscopeError(ErrorCodes.DISCOVERY_FILE_INVALID, `${path}: ${message}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `host:port` with the port checked; a target without a port gets the scheme's (80 or 443), as in Prometheus. */
export function normalizeAddress(target: string, scheme: Scheme): string | undefined {
  const t = target.trim();
  if (t === '' || /[/\s]/.test(t) || t.includes('://')) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(t);
  if (!m) return undefined;
  const host = m[1]!;
  const port = m[2] === undefined ? (scheme === 'https' ? 443 : 80) : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return `${host}:${port}`;
}

/** The target groups a file_sd file describes; sources are `file:<path>:<index>`. Throws FNS_DISCOVERY_FILE_INVALID. */
export function parseFileSd(text: string, path: string): TargetGroup[] {
  let doc: unknown;
  try {
    doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw invalid(path, `not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw invalid(path, 'expected a list of {targets, labels} entries');
  return doc.map((entry: unknown, i): TargetGroup => {
    const where = `entry ${i}`;
    if (!isPlainObject(entry)) throw invalid(path, `${where}: expected an object with targets and labels`);
    for (const k of Object.keys(entry)) if (k !== 'targets' && k !== 'labels') throw invalid(path, `${where}: unknown field ${JSON.stringify(k)}`);
    const rawTargets = entry['targets'] ?? [];
    if (!Array.isArray(rawTargets) || rawTargets.some((t) => typeof t !== 'string')) throw invalid(path, `${where}: targets must be a list of "host:port" strings`);
    const rawLabels = entry['labels'] ?? {};
    if (!isPlainObject(rawLabels)) throw invalid(path, `${where}: labels must be a map of names to strings`);

    const labels: Record<string, string> = {};
    let scheme: Scheme = 'http';
    let metricsPath = '/metrics';
    for (const [name, value] of Object.entries(rawLabels)) {
      if (!LABEL_NAME.test(name)) throw invalid(path, `${where}: invalid label name ${JSON.stringify(name)}`);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw invalid(path, `${where}: label ${name} must be a string`);
      }
      const v = String(value);
      if (name === '__scheme__') {
        if (v !== 'http' && v !== 'https') throw invalid(path, `${where}: __scheme__ must be http or https, not ${JSON.stringify(v)}`);
        scheme = v;
      } else if (name === '__metrics_path__') {
        metricsPath = v.startsWith('/') ? v : `/${v}`;
      } else if (!name.startsWith('__') && v !== '') {
        labels[name] = v;
      }
    }
    const targets: Target[] = (rawTargets as string[]).map((t) => {
      const address = normalizeAddress(t, scheme);
      if (address === undefined) throw invalid(path, `${where}: invalid target ${JSON.stringify(t)} (want host:port)`);
      return { address, scheme, metricsPath, labels: {} };
    });
    return { source: `file:${path}:${i}`, labels, targets };
  });
}
