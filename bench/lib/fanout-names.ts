/** Names shared by the two sides of bench/tail-fanout.ts (kept apart so the clients load nothing else). */

export const FANOUT_NAMESPACE = 'default';

/** The function a subscriber follows and a line belongs to. */
export function functionName(i: number): string {
  return `fn-${String(i).padStart(3, '0')}`;
}
