// Keeps charts of large studies small: every point that matters, then an even sample of the rest.

/** Default number of points a chart draws per series. */
export const DEFAULT_MAX_POINTS = 400;

/**
 * Picks at most `max` items: all `keep(item)` items first (up to `max`), then evenly spaced others, in
 * their original order. Deterministic, so reports of the same journal are identical.
 */
export function downsample<T>(
  items: readonly T[],
  max: number,
  keep: (item: T) => boolean = () => false,
): T[] {
  if (items.length <= max) return [...items];
  const chosen = new Set<number>();
  items.forEach((item, i) => {
    if (chosen.size < max && keep(item)) chosen.add(i);
  });
  const rest = items.map((_, i) => i).filter((i) => !chosen.has(i));
  const room = max - chosen.size;
  if (room > 0 && rest.length > 0) {
    const step = rest.length / room;
    for (let k = 0; k < room; k++) chosen.add(rest[Math.floor(k * step)] as number);
  }
  return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
}
