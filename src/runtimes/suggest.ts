// Did-you-mean suggestions for unknown flag names (edit distance over the registry's spellings).

import { byCodeUnit } from './param-name.js';
import type { FlagRegistry } from './registry.js';

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

const bare = (spelling: string): string => spelling.replace(/^-+/, '');

/** Up to `limit` canonical flag names of the registry that look like `name`, closest first. */
export function suggestFlags(registry: FlagRegistry, name: string, limit = 3): string[] {
  const wanted = bare(name).toLowerCase();
  const threshold = Math.max(2, Math.floor(wanted.length / 3));
  const best = new Map<string, number>();
  for (const [spelling, flag] of registry.bySpelling) {
    if (flag.action === 'positional' || flag.status?.includes('removed')) continue;
    const candidate = bare(spelling).toLowerCase();
    let distance = editDistance(wanted, candidate);
    // A name that is a whole-word part of a flag (`max-seqs` in `max-num-seqs`) is a near miss too.
    const words = wanted.split('-');
    if (distance > threshold && words.length > 1 && words.every((w) => candidate.split('-').includes(w))) {
      distance = threshold;
    }
    if (distance <= threshold) {
      const previous = best.get(flag.name);
      if (previous === undefined || distance < previous) best.set(flag.name, distance);
    }
  }
  return [...best.entries()]
    .sort((x, y) => x[1] - y[1] || byCodeUnit(x[0], y[0]))
    .slice(0, limit)
    .map(([flagName]) => flagName);
}
