import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function mtimes(dir: string, ext: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(ext)) out.push(statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return out;
}

function uiIsFresh(): boolean {
  const ui = join(ROOT, 'collector/src/ui');
  try {
    const sources = [...mtimes(join(ui, 'app'), '.ts'), statSync(join(ui, 'tsconfig.json')).mtimeMs];
    const outputs = mtimes(join(ui, 'dist'), '.js');
    return outputs.length >= sources.length - 1 && Math.max(...sources) < Math.min(...outputs);
  } catch {
    return false;
  }
}

/**
 * Compile the web UI (what npm run build:ui does) unless dist/ is newer than every source. Test files
 * and benches may run at once: a lock directory makes one of them build while the others wait.
 */
export async function buildUi(): Promise<void> {
  const lock = join(ROOT, 'collector/src/ui/.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (uiIsFresh()) return;
    try {
      mkdirSync(lock);
    } catch {
      // A lock older than a build can take was left by a killed run.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${lock} held for 2 minutes; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      if (!uiIsFresh()) execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'collector/src/ui/tsconfig.json')], { stdio: 'inherit' });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's chromium, headless, with a fresh profile. */
export async function launchBrowser(opts: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'fnscope-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? 'light',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
