// Did-you-mean suggestions for unknown flag names (edit distance over the registry's spellings).

import { editDistance } from '../util/edit-distance.js';
import { byCodeUnit } from './param-name.js';
import type { FlagRegistry } from './registry.js';

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
