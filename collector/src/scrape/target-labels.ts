/**
 * Adds a target's labels to a scraped series the way Prometheus does without honor_labels: the
 * target's value wins, and a scraped label of the same name is kept as exported_<name>.
 * Returns a new array of [name, value] pairs sorted by name.
 */
export function withTargetLabels(
  scraped: ReadonlyArray<readonly [string, string]>,
  target: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const targetNames = new Set(target.map(([k]) => k));
  for (const [k, v] of scraped) {
    if (targetNames.has(k)) {
      let name = `exported_${k}`;
      while (targetNames.has(name)) name = `exported_${name}`;
      out.push([name, v]);
    } else {
      out.push([k, v]);
    }
  }
  for (const [k, v] of target) if (v !== '') out.push([k, v]);
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}
