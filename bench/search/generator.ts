// Seeded random tuning problems on the simulated engine, drawn from its whole model and GPU catalogues and the
// engines' flag registries, with SLO thresholds calibrated to a target feasible share and solved exhaustively.
import { withLatencyHints } from '../../src/runtimes/latency-hints.js';
import { expandGrid, gridSize } from '../../src/search/grid.js';
import { normalizeSpace } from '../../src/search/normalize-space.js';
import type { Params } from '../../src/search/trial.js';
import { gpuCatalogue } from '../../src/sim/gpu-catalogue.js';
import { modelCatalogue } from '../../src/sim/model-catalogue.js';
import type { SimWorkload } from '../../src/sim/virtual-run.js';
import { createRng, type Rng } from '../../src/util/rng.js';
import { drawParams } from './generator-knobs.js';
import { calibrateSlo, type LatencyRow, type SloMetric } from './generator-slo.js';
import { capacityOf, createTable, type Measured, type Setting } from './generator-table.js';
import { feasible, gap, type Outcome, type SolvedProblem, solve } from './problem.js';

/** Objectives a generated problem optimises. */
export type GeneratedObjective =
  | 'throughput'
  | 'throughput-per-gpu'
  | 'cost'
  | 'p99-e2e'
  | 'mean-ttft'
  | 'capacity';

/** A generated problem with what it was drawn from. */
export interface GeneratedProblem extends SolvedProblem {
  seed: number;
  setting: Setting;
  objective: GeneratedObjective;
  slo: Partial<LatencyRow>;
  /** Feasible share the thresholds were calibrated to (the realised one is `feasibleShare`). */
  targetShare: number;
}

/** Smallest and largest spaces kept (exhaustive solving stays cheap). */
export const SIZE_RANGE = [48, 1536] as const;
/** Largest share of a space within 1% of the optimum (easier draws are drawn again). */
export const NEAR_OPTIMAL_SHARE = 0.05;
/** Feasible shares targeted (drawn log-uniformly). */
export const SHARE_RANGE = [0.01, 0.5] as const;

const CAP = 1_000;
const ratio = (observed: number, threshold: number): number => Math.min(CAP, observed / threshold - 1);

function drawWorkload(rng: Rng): SimWorkload {
  const long = rng.next() < 0.4;
  const promptTokens = long ? rng.int(20, 80) * 100 : rng.int(2, 12) * 100;
  const outputTokens = rng.pick([64, 128, 200, 300, 500]);
  const workload: SimWorkload = { promptTokens, outputTokens };
  if (rng.next() < 0.3) workload.sharedPrefixTokens = Math.round(promptTokens * (0.3 + 0.6 * rng.next()));
  return workload;
}

// GPUs enough for the weights with room for a KV cache, sometimes twice that (capped at 8), or undefined.
function gpusFor(rng: Rng, paramsB: number, memoryGiB: number): number | undefined {
  const need = (paramsB * 2 * 1.3) / memoryGiB;
  const fit = [1, 2, 4, 8].find((n) => n >= need);
  if (fit === undefined) return undefined;
  return rng.next() < 0.4 && fit < 8 ? fit * 2 : fit;
}

/** True when a realised feasible count is near the calibration target: within a factor 2, or 2 configurations. */
export function sharesAgree(count: number, target: number): boolean {
  return count >= 1 && count >= target / 2 && count <= Math.max(2 * target, target + 2);
}

/** A measured row's objective value (maximised or minimised as the objective says). */
export function objectiveOf(row: Measured, objective: GeneratedObjective): number {
  if (objective === 'throughput') return row.tokensPerS;
  if (objective === 'throughput-per-gpu') return row.tokensPerS / row.gpus;
  if (objective === 'cost') return Math.min(1e9, (row.gpus * 1000) / row.tokensPerS);
  if (objective === 'p99-e2e') return Math.min(1e9, row.latency.e2e);
  return Math.min(1e9, row.meanTtftMs);
}

interface Draft {
  setting: Setting;
  objective: GeneratedObjective;
  metrics: SloMetric[];
  params: ReturnType<typeof drawParams>;
  targetShare: number;
}

function draft(rng: Rng): Draft | undefined {
  const flavour = rng.next() < 0.6 ? 'vllm' : 'sglang';
  const model = rng.pick(modelCatalogue());
  const gpu = rng.pick(gpuCatalogue());
  const numGpus = gpusFor(rng, model.paramsB, gpu.memoryGiB);
  if (numGpus === undefined) return undefined;
  const workload = drawWorkload(rng);
  const length = workload.promptTokens + workload.outputTokens;
  const maxModelLen = Math.min(
    model.maxContextTokens,
    Math.max(4096, 2 ** Math.ceil(Math.log2(length))) * rng.pick([1, 2, 4]),
  );
  if (maxModelLen < length) return undefined;
  const closed = rng.next() < 0.6;
  const objective: GeneratedObjective = closed
    ? rng.pick(['throughput', 'throughput', 'throughput-per-gpu', 'cost', 'p99-e2e', 'mean-ttft'] as const)
    : rng.pick(['p99-e2e', 'mean-ttft', 'capacity'] as const);
  if (closed) workload.concurrency = rng.pick([8, 16, 32, 64, 128, 256]);
  const metrics = (['ttft', 'tpot', 'e2e'] as const).filter(() => rng.next() < 0.5);
  if (metrics.length === 0) metrics.push(rng.pick(['ttft', 'tpot'] as const));
  const [lo, hi] = SHARE_RANGE;
  const targetShare = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.next());
  const ctx = { flavour, model: model.name, gpu: gpu.name, maxModelLen, numGpus } as const;
  const params = drawParams(rng.fork('params'), flavour, ctx, rng.int(4, 8));
  return {
    setting: { flavour, model: model.name, gpu: gpu.name, numGpus, maxModelLen, workload },
    objective,
    metrics,
    params,
    targetShare,
  };
}

// Open loop: an arrival rate between 30% and 90% of the best flood throughput among a few configurations.
function openLoopRate(rng: Rng, d: Draft, grid: readonly Params[]): number | undefined {
  const space = normalizeSpace(d.params);
  const flood = createTable(space, d.setting, { ...d.setting.workload, requestRatePerS: 1e6 });
  let best = 0;
  for (let i = 0; i < 12; i++) {
    const row = flood(rng.pick(grid));
    if (row.ok) best = Math.max(best, row.requestsPerS);
  }
  return best > 0 ? best * (0.3 + 0.6 * rng.next()) : undefined;
}

function build(seed: number, d: Draft, rng: Rng): GeneratedProblem | undefined {
  const space = withLatencyHints(normalizeSpace(d.params), d.setting.flavour);
  const size = gridSize(space);
  if (size < SIZE_RANGE[0] || size > SIZE_RANGE[1]) return undefined;
  const grid = [...expandGrid(space, SIZE_RANGE[1])];
  const workload = { ...d.setting.workload };
  if (workload.concurrency === undefined) {
    const rate = openLoopRate(rng.fork('rate'), d, grid);
    if (rate === undefined) return undefined;
    // Capacity is judged against the SLO at a light load; the others at the drawn rate.
    workload.requestRatePerS = d.objective === 'capacity' ? rate * 0.02 : rate;
  }
  const setting = { ...d.setting, workload };
  const table = createTable(space, setting, workload);
  const rows = grid.map(table).filter((r): r is Measured => r.ok);
  if (rows.length === 0) return undefined;
  const targetShare = Math.min(d.targetShare, (0.8 * rows.length) / grid.length);
  const target = Math.max(1, Math.round(targetShare * grid.length));
  const slo = calibrateSlo(
    rows.map((r) => r.latency),
    d.metrics,
    target,
    rng.fork('slo'),
  );
  const terms = Object.entries(slo) as [SloMetric, number][];
  const capacities = new Map<Measured, number>();
  const evaluate = (params: Params): Outcome => {
    const row = table(params);
    if (!row.ok) return { ok: false, reason: row.reason };
    const constraints = terms.map(([m, t]) => ratio(row.latency[m], t));
    if (d.objective !== 'capacity')
      return { ok: true, objective: objectiveOf(row, d.objective), constraints };
    let capacity = capacities.get(row);
    if (capacity === undefined) {
      capacity = constraints.every((c) => c <= 0) ? capacityOf(row, workload, slo) : 0;
      capacities.set(row, capacity);
    }
    return { ok: true, objective: capacity, constraints };
  };
  const maximise = ['throughput', 'throughput-per-gpu', 'capacity'].includes(d.objective);
  const { model, gpu, numGpus, flavour } = setting;
  const sloText = terms.map(([m, t]) => `p99 ${m.toUpperCase()} <= ${t} ms`).join(', ');
  const solved = solve({
    name: `gen:${seed}:${flavour}:${model}:${gpu}x${numGpus}:${d.objective}`,
    space,
    maximise,
    constraintCount: terms.length,
    constraintMetrics: terms.map(([m]) => m),
    evaluate,
    description: `${d.objective}, ${sloText}`,
  });
  // Equal latencies move together: a draw whose table cannot come near the target share is drawn again, as is
  // one whose objective barely varies.
  const feasibleCount = Math.round(solved.feasibleShare * solved.size);
  if (!sharesAgree(feasibleCount, target)) return undefined;
  if (
    new Set(rows.map((r) => objectiveOf(r, d.objective === 'capacity' ? 'throughput' : d.objective))).size < 4
  )
    return undefined;
  // A space where a random draw is near-optimal measures no search: kept only when at most 5% is within 1%.
  let near = 0;
  for (const params of grid) {
    const o = evaluate(params);
    if (feasible(o) && gap(solved, o.objective) <= 0.01) near++;
  }
  if (near > NEAR_OPTIMAL_SHARE * grid.length) return undefined;
  return { ...solved, seed, setting, objective: d.objective, slo, targetShare };
}

/** The problem of a seed: redraws (from forks of the seed) until a draft has a space of the kept size that starts. */
export function generateProblem(seed: number): GeneratedProblem {
  const root = createRng(seed).fork('problem');
  for (let attempt = 0; attempt < 200; attempt++) {
    const rng = root.fork(attempt);
    const d = draft(rng);
    const p = d && build(seed, d, rng.fork('build'));
    if (p) return p;
  }
  throw new Error(`no problem drawn for seed ${seed}`);
}

/** `count` problems from seeds `from`, `from + 1`, ... */
export function generateProblems(from: number, count: number): GeneratedProblem[] {
  return Array.from({ length: count }, (_, i) => generateProblem(from + i));
}
