/** Process-tree helpers (Linux /proc) to prove that no child process outlives the sandbox. */
import { readdirSync, readFileSync } from 'node:fs';

export const canInspect = process.platform === 'linux';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4 (ppid) comes after the ")" that closes the command name.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[1]);
  } catch {
    return undefined;
  }
}

/** Every live process below `root` (children, grandchildren, ...). */
export function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pp = parentOf(Number(d));
    if (pp !== undefined) parents.set(Number(d), pp);
  }
  const out: number[] = [];
  for (const pid of parents.keys()) {
    let p = parents.get(pid);
    for (let hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
      if (p === root) {
        out.push(pid);
        break;
      }
      p = parents.get(p);
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(state);
  } catch {
    return false;
  }
}
