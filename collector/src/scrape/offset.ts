/**
 * Start offset of a target's scrape loop inside the interval, from a hash of its identity, so the
 * scrapes of many targets spread evenly instead of bunching (like Prometheus's per-target offset).
 */
export function scrapeOffset(identity: string, intervalMs: number, seed = 0): number {
  // FNV-1a 32-bit: fast, stable, good enough spread for this.
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < identity.length; i++) {
    h ^= identity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % Math.max(1, Math.floor(intervalMs));
}
