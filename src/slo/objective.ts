// Objective specs: the original autotuner's names plus richer forms (throughput, goodput, latency, cost, weights).
import type { LatencyMetric, LatencyStat } from './types.js';

/** The original autotuner's objective names (minimize_latency is minimised mean E2E latency). */
export type LegacyObjectiveName =
  | 'minimize_latency'
  | 'minimize_ttft'
  | 'minimize_tpot'
  | 'maximize_throughput';

/** Objective names accepted as plain strings. */
export type ObjectiveName = LegacyObjectiveName | 'maximize_goodput' | 'maximize_total_throughput';

/** Maximise a throughput: output tok/s, total (input + output) tok/s or requests/s, optionally per GPU. */
export interface ThroughputObjective {
  kind: 'throughput';
  /** Which rate. @default 'output' */
  tokens?: 'output' | 'total' | 'requests';
  /** Divide by the world size used (a CPU run counts as one device). @default false */
  perGpu?: boolean;
}

/** Maximise goodput: requests/s that met every per-request SLO (needs an SLO on the run), optionally per GPU. */
export interface GoodputObjective {
  kind: 'goodput';
  /** Divide by the world size used (a CPU run counts as one device). @default false */
  perGpu?: boolean;
}

/** Minimise one latency statistic, e.g. p99 TTFT, in milliseconds. */
export interface LatencyObjective {
  kind: 'latency';
  metric: LatencyMetric;
  stat: LatencyStat;
}

/** Minimise the GPU cost of a million output tokens: hourly price x GPUs used / output tok/s. */
export interface CostObjective {
  kind: 'cost';
  /** Price of one GPU for one hour, in US dollars (> 0). */
  gpuHourlyPriceUsd: number;
}

/** Minimise a weighted sum of other objectives, each in its minimised form (maximised ones negated). */
export interface WeightedObjective {
  kind: 'weighted';
  terms: Array<{ objective: Objective; weight: number }>;
}

/** One scalar objective. */
export type Objective =
  | ObjectiveName
  | ThroughputObjective
  | GoodputObjective
  | LatencyObjective
  | CostObjective
  | WeightedObjective;

/** A scalar objective, or a list of them for multi-objective search (a vector, every entry minimised). */
export type ObjectiveSpec = Objective | readonly Objective[];

/** Whether the user reads an objective's value as something to minimise or maximise. */
export function objectiveDirection(objective: Objective): 'minimize' | 'maximize' {
  if (typeof objective === 'string') return objective.startsWith('maximize') ? 'maximize' : 'minimize';
  return objective.kind === 'throughput' || objective.kind === 'goodput' ? 'maximize' : 'minimize';
}

/** A short readable name of an objective for reports, e.g. `maximize output tok/s per GPU`. */
export function objectiveLabel(objective: Objective): string {
  if (typeof objective === 'string') return objective;
  const perGpu = 'perGpu' in objective && objective.perGpu ? ' per GPU' : '';
  switch (objective.kind) {
    case 'throughput': {
      const tokens = objective.tokens ?? 'output';
      return `maximize ${tokens === 'requests' ? 'requests/s' : `${tokens} tok/s`}${perGpu}`;
    }
    case 'goodput':
      return `maximize goodput req/s${perGpu}`;
    case 'latency':
      return `minimize ${objective.stat} ${objective.metric} ms`;
    case 'cost':
      return 'minimize USD per million output tokens';
    case 'weighted':
      return `minimize ${objective.terms.map((t) => `${t.weight} x (${objectiveLabel(t.objective)})`).join(' + ')}`;
  }
}

/** The scalar objectives of a spec, in order (a single objective becomes a list of one). */
export function objectiveList(spec: ObjectiveSpec): readonly Objective[] {
  return typeof spec === 'string' || !Array.isArray(spec) ? [spec as Objective] : spec;
}
