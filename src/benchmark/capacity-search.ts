// Capacity search: the highest request rate (or concurrency) whose benchmark still meets an SLO.
import { InvalidOptionError } from '../errors.js';
import { constraintsHold, constraintValues } from '../slo/constraint-values.js';
import type { RunMetrics, SloSpec } from '../slo/types.js';
import type { BenchmarkOptions } from './benchmark-options.js';
import type { BenchmarkResult } from './benchmark-result.js';
import type { LoadSpec, RateLoad } from './load-spec.js';
import { runBenchmark } from './run-benchmark.js';
import { type LevelProbe, type LevelSearchOptions, searchLevels } from './search-levels.js';

/** Which load dimension the search varies. */
export type CapacityDimension = 'rate' | 'concurrency';

/**
 * When a probe counts as meeting the SLO: `'terms'` needs every SLO term's run statistic (and the error-rate
 * bound) to hold, as scoring judges a trial; `{ minAttainment }` needs that share of requests to meet every
 * term individually (DistServe's goodput view, e.g. 0.9).
 */
export type CapacityCriterion = 'terms' | { minAttainment: number };

/** Options of capacitySearch beyond the benchmark's own. */
export interface CapacitySearchOptions extends LevelSearchOptions {
  /** @default 'rate' */
  dimension?: CapacityDimension;
  slo: SloSpec;
  /** @default 'terms' */
  criterion?: CapacityCriterion;
  /**
   * Rate loads: shape of the arrivals at each probed rate (arrival process, burstiness, cap); `ratePerS` is
   * set by the search. @default { kind: 'rate', arrival: 'poisson' }
   */
  rateLoad?: Omit<RateLoad, 'ratePerS'>;
  /**
   * Makes a fresh `stopWhen` for each probe from its options (see BenchmarkOptions.stopWhen), e.g. one that ends a probe once
   * its requests prove the SLO lost; a probe stopped that way fails. @default undefined (probes run whole)
   */
  probeStopWhen?: (probe: BenchmarkOptions) => BenchmarkOptions['stopWhen'];
  /**
   * Runs one probe's benchmark; replace it to search over other measurements (e.g. a simulator's virtual run).
   * @default runBenchmark
   */
  runProbe?: ProbeRunner;
}

/** Runs the benchmark of one capacity probe (its options carry the probe's load, SLO and stopWhen). */
export type ProbeRunner = (
  probe: BenchmarkOptions,
  options: { signal?: AbortSignal },
) => Promise<BenchmarkResult>;

/** One probe of a capacity search. */
export interface CapacityProbe extends LevelProbe<BenchmarkResult> {
  /** True when the client set the pace of this probe; its verdict is then suspect. */
  clientLimited: boolean;
  /** True when the probe was ended early by `probeStopWhen` (it failed without running whole). */
  stoppedEarly: boolean;
}

/** Outcome of capacitySearch. */
export interface CapacitySearchResult {
  dimension: CapacityDimension;
  /** Highest level that met the SLO; undefined when even the lowest level failed. */
  capacity: number | undefined;
  /** Lowest level that failed; the true capacity lies in [capacity, firstFailing). */
  firstFailing: number | undefined;
  converged: boolean;
  probeCount: number;
  probes: CapacityProbe[];
  /** The benchmark of the answer. */
  best: BenchmarkResult | undefined;
}

/** Whether a run's metrics meet the SLO under a criterion. */
export function metricsMeetSlo(
  metrics: RunMetrics,
  slo: SloSpec,
  criterion: CapacityCriterion = 'terms',
): boolean {
  if (metrics.requestCount === 0) return false;
  if (criterion === 'terms') return constraintsHold(constraintValues(metrics, slo));
  const errorOk = slo.maxErrorRate === undefined || metrics.errorRate <= slo.maxErrorRate;
  return errorOk && (metrics.attainment ?? 0) >= criterion.minAttainment;
}

/** The load of one probe level. */
export function loadAtLevel(
  dimension: CapacityDimension,
  level: number,
  rateLoad?: Omit<RateLoad, 'ratePerS'>,
): LoadSpec {
  if (dimension === 'concurrency') return { kind: 'concurrency', concurrency: level };
  return { arrival: 'poisson', ...rateLoad, kind: 'rate', ratePerS: level };
}

/**
 * Runs one benchmark per probe (same workload, stop rule and seed each time; only the load level changes, and
 * each probe takes the next unused requests of the workload) and
 * brackets then bisects to the highest level meeting the SLO. Warm-start it with `previous` (e.g. the answer of
 * a similar configuration) to need fewer probes.
 */
export async function capacitySearch(
  benchmark: Omit<BenchmarkOptions, 'load' | 'slo'>,
  options: CapacitySearchOptions,
  { signal }: { signal?: AbortSignal } = {},
): Promise<CapacitySearchResult> {
  const dimension = options.dimension ?? 'rate';
  if (dimension !== 'rate' && dimension !== 'concurrency') {
    throw new InvalidOptionError('search.dimension', dimension, "'rate' or 'concurrency'");
  }
  const criterion = options.criterion ?? 'terms';
  if (criterion !== 'terms' && !(criterion.minAttainment > 0 && criterion.minAttainment <= 1)) {
    throw new InvalidOptionError(
      'search.criterion.minAttainment',
      criterion.minAttainment,
      'a share in (0, 1]',
    );
  }
  // Each probe continues the workload where the previous one stopped, so no probe replays prompts that an
  // earlier probe left in the server's prefix cache.
  let workloadOffset = benchmark.workloadOffset ?? 0;
  const runProbe = options.runProbe ?? runBenchmark;
  const outcome = await searchLevels<BenchmarkResult>(
    async (level, opts) => {
      const load = loadAtLevel(dimension, level, options.rateLoad);
      const probe: BenchmarkOptions = { ...benchmark, load, slo: options.slo, workloadOffset };
      const stopWhen = options.probeStopWhen?.(probe);
      const result = await runProbe({ ...probe, ...(stopWhen ? { stopWhen } : {}) }, opts);
      workloadOffset += result.records.length;
      const meets = !result.stoppedEarly && metricsMeetSlo(result.metrics, options.slo, criterion);
      return { meets, detail: result };
    },
    { ...options, integer: options.integer ?? dimension === 'concurrency' },
    { signal },
  );
  const probes = outcome.probes.map((p) => ({
    ...p,
    clientLimited: p.detail?.clientLimited ?? false,
    stoppedEarly: p.detail?.stoppedEarly ?? false,
  }));
  return {
    dimension,
    capacity: outcome.best,
    firstFailing: outcome.firstFailing,
    converged: outcome.converged,
    probeCount: probes.length,
    probes,
    best: probes.find((p) => p.meets && p.level === outcome.best)?.detail,
  };
}
