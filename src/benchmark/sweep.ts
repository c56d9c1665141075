// Sweep mode: one benchmark per load level, for latency-throughput curves.
import { InvalidOptionError } from '../errors.js';
import type { BenchmarkOptions } from './benchmark-options.js';
import type { BenchmarkResult } from './benchmark-result.js';
import { type CapacityDimension, loadAtLevel } from './capacity-search.js';
import type { RateLoad } from './load-spec.js';
import { runBenchmark } from './run-benchmark.js';

/** Options of sweep. */
export interface SweepOptions {
  /** @default 'rate' */
  dimension?: CapacityDimension;
  /** Levels in the order to run them (requests per second, or concurrency). */
  levels: number[];
  /** Arrival shape for rate levels. @default { kind: 'rate', arrival: 'poisson' } */
  rateLoad?: Omit<RateLoad, 'ratePerS'>;
}

/** One point of a sweep. */
export interface SweepPoint {
  level: number;
  result: BenchmarkResult;
}

/** Runs the benchmark once per level, one after another, on fresh requests; every point keeps its full result. */
export async function sweep(
  benchmark: Omit<BenchmarkOptions, 'load'>,
  options: SweepOptions,
  { signal }: { signal?: AbortSignal } = {},
): Promise<SweepPoint[]> {
  if (!Array.isArray(options.levels) || options.levels.length === 0) {
    throw new InvalidOptionError('sweep.levels', options.levels, 'a non-empty list of levels');
  }
  const points: SweepPoint[] = [];
  // Levels take disjoint ranges of the workload, so none replays prompts cached by an earlier level.
  let workloadOffset = benchmark.workloadOffset ?? 0;
  for (const level of options.levels) {
    const load = loadAtLevel(options.dimension ?? 'rate', level, options.rateLoad);
    const result = await runBenchmark({ ...benchmark, load, workloadOffset }, { signal });
    workloadOffset += result.records.length;
    points.push({ level, result });
  }
  return points;
}
