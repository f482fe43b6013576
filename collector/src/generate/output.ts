import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One generated file, relative to the output directory; `function` marks files made for one function. */
export interface GeneratedFile {
  path: string;
  content: string;
  function?: { namespace: string; name: string };
}

/** Write the files under dir (creating folders); returns the paths written. */
export async function writeGeneratedFiles(dir: string, files: readonly GeneratedFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
    written.push(path);
  }
  return written;
}

/** A Kubernetes-name-safe slug of a function: `<namespace>-<name>`. */
export function functionSlug(namespace: string, name: string): string {
  return `${namespace}-${name}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}
