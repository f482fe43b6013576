/** Runs the real promtool (Debian's prometheus package) for the generate tests. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const PROMTOOL = existsSync('/usr/bin/promtool') ? '/usr/bin/promtool' : 'promtool';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function promtool(args: readonly string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(PROMTOOL, [...args], { cwd, timeout: 50_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`cannot run promtool (${PROMTOOL}): ${err.message}; install Debian's "prometheus" package`));
        return;
      }
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/** A temporary directory with the given files; removed by the returned cleanup. */
export async function tempFiles(files: Record<string, string>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fnscope-generate-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
