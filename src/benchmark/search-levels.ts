// Bracketing plus bisection over load levels: the highest level at which a monotone predicate still holds.
import { InvalidOptionError } from '../errors.js';

/** One probe of the search: the level tried and whether it held. */
export interface LevelProbe<T = unknown> {
  level: number;
  meets: boolean;
  /** What the probe measured (e.g. a BenchmarkResult). */
  detail?: T;
}

/** Options of searchLevels. */
export interface LevelSearchOptions {
  /** Level of the first probe, unless warm-started. @default 1 */
  start?: number;
  /**
   * A previous answer: the first probe goes there and the bracket grows from it in small steps
   * (2x the tolerance, doubling), so a nearby capacity is found in two or three probes. @default undefined
   */
  previous?: number;
  /** Lowest level worth probing. @default 1 when `integer`, else 0.1 */
  minLevel?: number;
  /** Highest level worth probing. @default 100_000 */
  maxLevel?: number;
  /** Stop when (lowest failing - highest passing) <= tolerance x highest passing. @default 0.05 */
  tolerance?: number;
  /** Levels are whole numbers (concurrency): the bracket closes at a gap of 1. @default false */
  integer?: boolean;
  /** Factor by which a cold search grows or shrinks the level until it brackets the answer. @default 2 */
  growth?: number;
  /** Give up after this many probes (the result then says `converged: false`). @default 24 */
  maxProbes?: number;
}

/** Outcome of searchLevels. */
export interface LevelSearchResult<T = unknown> {
  /** Highest level that held; undefined when even `minLevel` failed. */
  best: number | undefined;
  /** Lowest level that failed; undefined when `maxLevel` still held. */
  firstFailing: number | undefined;
  /** True when the bracket closed within the tolerance (or hit a bound). */
  converged: boolean;
  probes: LevelProbe<T>[];
}

function check(options: LevelSearchOptions): Required<Omit<LevelSearchOptions, 'previous'>> {
  const integer = options.integer ?? false;
  const resolved = {
    start: options.start ?? 1,
    minLevel: options.minLevel ?? (integer ? 1 : 0.1),
    maxLevel: options.maxLevel ?? 100_000,
    tolerance: options.tolerance ?? 0.05,
    integer,
    growth: options.growth ?? 2,
    maxProbes: options.maxProbes ?? 24,
  };
  for (const key of ['start', 'minLevel', 'maxLevel', 'tolerance', 'maxProbes'] as const) {
    if (!(Number.isFinite(resolved[key]) && resolved[key] > 0)) {
      throw new InvalidOptionError(`search.${key}`, resolved[key], 'a number > 0');
    }
  }
  if (!(resolved.growth > 1)) throw new InvalidOptionError('search.growth', resolved.growth, 'a number > 1');
  if (resolved.maxLevel < resolved.minLevel) {
    throw new InvalidOptionError(
      'search.maxLevel',
      resolved.maxLevel,
      `a level >= minLevel (${resolved.minLevel})`,
    );
  }
  return resolved;
}

/**
 * Finds the highest level where `probe` holds, assuming it holds below some capacity and fails above it.
 * Phase 1 brackets: from the start (or the previous answer) it grows the level after a pass and shrinks it after
 * a failure until one passing and one failing level are known. Phase 2 bisects the bracket until its width is
 * within the tolerance. A noisy probe that breaks monotonicity only narrows the bracket the wrong way by one
 * step; the answer is always a level that was actually measured passing.
 */
export async function searchLevels<T>(
  probe: (level: number, options: { signal?: AbortSignal }) => Promise<{ meets: boolean; detail?: T }>,
  options: LevelSearchOptions = {},
  { signal }: { signal?: AbortSignal } = {},
): Promise<LevelSearchResult<T>> {
  const o = check(options);
  const clamp = (x: number): number => {
    const bounded = Math.min(o.maxLevel, Math.max(o.minLevel, x));
    return o.integer ? Math.round(bounded) : bounded;
  };
  const probes: LevelProbe<T>[] = [];
  let best: number | undefined;
  let firstFailing: number | undefined;
  const run = async (level: number): Promise<boolean> => {
    signal?.throwIfAborted();
    const { meets, detail } = await probe(level, { signal });
    probes.push(detail === undefined ? { level, meets } : { level, meets, detail });
    if (meets && (best === undefined || level > best)) best = level;
    if (!meets && (firstFailing === undefined || level < firstFailing)) firstFailing = level;
    return meets;
  };
  const warm = options.previous !== undefined;
  let step = warm ? 2 * o.tolerance : o.growth - 1;
  let level = clamp(options.previous ?? o.start);
  // Phase 1: bracket.
  while (probes.length < o.maxProbes) {
    const meets = await run(level);
    if (best !== undefined && firstFailing !== undefined) break;
    let target = meets ? level * (1 + step) : level / (1 + step);
    // Whole levels must move by at least one.
    if (o.integer) target = meets ? Math.max(level + 1, target) : Math.min(level - 1, target);
    const next = clamp(target);
    if (next === level) return { best, firstFailing, converged: true, probes };
    level = next;
    if (warm) step = Math.min(step * 2, o.growth - 1);
  }
  // Phase 2: bisect.
  const closed = (): boolean => {
    if (best === undefined || firstFailing === undefined) return false;
    const width = firstFailing - best;
    return o.integer ? width <= Math.max(1, Math.floor(o.tolerance * best)) : width <= o.tolerance * best;
  };
  while (!closed() && probes.length < o.maxProbes && best !== undefined && firstFailing !== undefined) {
    const mid = o.integer ? Math.floor((best + firstFailing) / 2) : (best + firstFailing) / 2;
    if (mid === best || mid === firstFailing) break;
    await run(mid);
  }
  return { best, firstFailing, converged: closed(), probes };
}
