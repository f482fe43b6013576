import { readFile } from 'node:fs/promises';
import { UsageError } from '../util/errors.ts';

/** The bearer token for talking to a collector: --token-file F, else $FNSCOPE_TOKEN, else none. */
export async function readTokenFlag(flag: unknown, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (typeof flag === 'string' && flag !== '') {
    try {
      return (await readFile(flag, 'utf8')).trim();
    } catch (e) {
      throw new UsageError(`cannot read --token-file ${flag}: ${(e as Error).message}`);
    }
  }
  const t = env['FNSCOPE_TOKEN'];
  return t === undefined || t === '' ? undefined : t;
}
