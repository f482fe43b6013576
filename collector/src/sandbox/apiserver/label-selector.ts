/**
 * Label selectors, parsed with the grammar and error messages of k8s.io/apimachinery/pkg/labels:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated.
 */
import { isQualifiedName, isValidLabelValue } from './names.ts';

export type LabelOp = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

export interface Requirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export interface LabelSelector {
  requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  toString(): string;
}

type Tok = 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const KEYWORDS: Record<string, Tok> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c);

function lex(s: string): Array<{ tok: Tok; lit: string }> {
  const out: Array<{ tok: Tok; lit: string }> = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    const c = s[pos]!;
    if (isSpecial(c)) {
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos]!;
        pos++;
        const t = KEYWORDS[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) {
          pos--;
          break;
        }
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      if (!last) {
        out.push({ tok: 'end', lit: '' });
        return out;
      }
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buf += s[pos++]!;
      const t = KEYWORDS[buf];
      out.push({ tok: t ?? 'id', lit: buf });
    }
  }
}

class Parser {
  #items: Array<{ tok: Tok; lit: string }>;
  #pos = 0;

  constructor(s: string) {
    this.#items = lex(s);
  }

  #peek(values: boolean): { tok: Tok; lit: string } {
    const it = this.#items[Math.min(this.#pos, this.#items.length - 1)]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  #next(values: boolean): { tok: Tok; lit: string } {
    const it = this.#peek(values);
    this.#pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.#peek(true);
      if (tok === 'id' || tok === '!') {
        let r: Requirement;
        try {
          r = this.#requirement();
        } catch (e) {
          throw new Error(`unable to parse requirement: ${(e as Error).message}`, { cause: e });
        }
        reqs.push(r);
        const t = this.#next(true);
        if (t.tok === 'end') return reqs;
        if (t.tok === ',') {
          const t2 = this.#peek(true);
          if (t2.tok !== 'id' && t2.tok !== '!') throw new Error(`found '${t2.lit}', expected: identifier after ','`);
        } else {
          throw new Error(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
      } else if (tok === 'end') {
        return reqs;
      } else {
        throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  #requirement(): Requirement {
    let op: LabelOp | undefined;
    let t = this.#next(true);
    if (t.tok === '!') {
      op = '!';
      t = this.#next(true);
    }
    if (t.tok !== 'id') throw new Error(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    const la = this.#peek(true).tok;
    if (la === 'end' || la === ',') {
      return { key, op: op ?? 'exists', values: [] };
    }
    // "!a" takes no operator; whatever follows is reported by the caller.
    if (op === '!') return { key, op, values: [] };
    const o = this.#next(false);
    const opMap: Partial<Record<Tok, LabelOp>> = { in: 'in', '=': '=', '==': '==', '>': '>', '<': '<', notin: 'notin', '!=': '!=' };
    const bop = opMap[o.tok];
    if (!bop) throw new Error(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = bop === 'in' || bop === 'notin' ? this.#values() : this.#exactValue();
    validateValues(key, bop, values);
    return { key, op: bop, values };
  }

  #values(): string[] {
    const open = this.#next(true);
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.#peek(true);
    if (tok === ')') {
      this.#next(true);
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const t = this.#next(true);
      if (t.tok === 'id') {
        set.add(t.lit);
        const t2 = this.#peek(true);
        if (t2.tok === ',') continue;
        if (t2.tok === ')') break;
        throw new Error(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        if (set.size === 0) set.add('');
        const t2 = this.#peek(true);
        if (t2.tok === ')') {
          set.add('');
          break;
        }
        if (t2.tok === ',') set.add('');
      } else {
        throw new Error(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    const close = this.#next(true);
    if (close.tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return [...set].sort();
  }

  #exactValue(): string[] {
    const { tok } = this.#peek(true);
    if (tok === 'end' || tok === ',') return [''];
    const t = this.#next(true);
    if (t.tok === 'id') return [t.lit];
    throw new Error(`found '${t.lit}', expected: identifier`);
  }
}

function validateValues(key: string, op: LabelOp, values: string[]): void {
  const errs: string[] = [];
  if ((op === '>' || op === '<') && values.some((v) => !/^[+-]?\d+$/.test(v))) {
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
    });
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${ve.join('; ')}`);
  });
  if (errs.length === 1) throw new Error(errs[0]);
  if (errs.length > 1) throw new Error(`[${errs.join(', ')}]`);
}

function matchOne(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const val = has ? labels[r.key] : undefined;
  switch (r.op) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(val!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(val!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case '>':
    case '<': {
      if (!has || !/^[+-]?\d+$/.test(val!)) return false;
      const lv = Number(val);
      const rv = Number(r.values[0]);
      return r.op === '>' ? lv > rv : lv < rv;
    }
  }
}

function reqString(r: Requirement): string {
  switch (r.op) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    default:
      return `${r.key}${r.op}${r.values[0] ?? ''}`;
  }
}

/** Parses a label selector; throws Error with the API server's message when it is malformed. */
export function parseLabelSelector(s: string): LabelSelector {
  const reqs = new Parser(s).parse().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: reqs,
    matches: (labels) => reqs.every((r) => matchOne(r, labels ?? {})),
    toString: () => reqs.map(reqString).join(','),
  };
}

/** The selector that matches everything. */
export const everythingLabels: LabelSelector = { requirements: [], matches: () => true, toString: () => '' };
