// One tuning problem on the simulated engine's analytic estimate(): flags -> config -> objective and SLOs.

import { withLatencyHints } from '../../src/runtimes/latency-hints.js';
import { expandGrid } from '../../src/search/grid.js';
import { normalizeSpace } from '../../src/search/normalize-space.js';
import type { ParamInput } from '../../src/search/param-spec.js';
import type { Params } from '../../src/search/trial.js';
import { estimate } from '../../src/sim/estimate.js';
import { resolveSimConfig, type SimConfigInput } from '../../src/sim/sim-config.js';
import type { SimWorkload } from '../../src/sim/virtual-run.js';
import { type Outcome, type Problem, problem } from './problem.js';

type Objective = 'throughput' | 'throughput-per-gpu' | 'p99-e2e' | 'mean-ttft' | 'capacity';

/** A simulated-engine problem: base configuration, workload, objective, SLO and the tuned flags. */
export interface SimProblemSpec {
  name: string;
  base: SimConfigInput;
  workload: SimWorkload;
  objective: Objective;
  slo: { ttftP99Ms?: number; tpotP99Ms?: number };
  /**
   * When set (fixed-load problems), the SLO thresholds named in `slo` are recalibrated to the same
   * quantile of the started configurations' p99 latencies, the lowest that leaves this share of all
   * configurations feasible: the problems keep their shape while the simulated engine evolves.
   */
  feasibleShare?: number;
  params: Record<string, ParamInput>;
  constraints?: { left: string; op: '>='; right: string }[];
}

const KNOBS: Record<string, (v: Params[string], cfg: SimConfigInput) => void> = {
  'tensor-parallel-size': (v, c) => {
    c.tensorParallel = v as number;
  },
  'pipeline-parallel-size': (v, c) => {
    c.pipelineParallel = v as number;
  },
  'max-num-seqs': (v, c) => {
    c.maxNumSeqs = v as number;
  },
  'max-num-batched-tokens': (v, c) => {
    c.maxBatchedTokens = v as number;
  },
  'gpu-memory-utilization': (v, c) => {
    c.gpuMemoryUtilization = v as number;
  },
  'enable-chunked-prefill': (v, c) => {
    c.chunkedPrefill = v as boolean;
  },
  'enable-prefix-caching': (v, c) => {
    c.prefixCaching = v as boolean;
  },
  'kv-cache-dtype': (v, c) => {
    c.kvBytesPerElement = v === 'fp8' ? 1 : 2;
  },
  'block-size': (v, c) => {
    c.blockSize = v as number;
  },
  'enforce-eager': (v, c) => {
    c.cudaGraphs = v !== true;
  },
};

const CAP = 1_000;
const ratio = (observed: number, threshold: number): number => Math.min(CAP, observed / threshold - 1);

function measureAt(spec: SimProblemSpec, cfg: SimConfigInput, workload: SimWorkload): Outcome {
  const result = estimate(cfg, workload);
  if (!result.ok) return { ok: false, reason: result.failure.kind };
  const e = result.estimate;
  const constraints: number[] = [];
  if (spec.slo.ttftP99Ms !== undefined) constraints.push(ratio(e.ttftMs.p99, spec.slo.ttftP99Ms));
  if (spec.slo.tpotP99Ms !== undefined) constraints.push(ratio(e.tpotMs?.p99 ?? 0, spec.slo.tpotP99Ms));
  const gpus = (cfg.tensorParallel ?? 1) * (cfg.pipelineParallel ?? 1) * (cfg.dataParallel ?? 1);
  const objective =
    spec.objective === 'throughput'
      ? e.outputTokensPerS
      : spec.objective === 'throughput-per-gpu'
        ? e.outputTokensPerS / gpus
        : spec.objective === 'p99-e2e'
          ? Math.min(e.e2eMs.p99, 1e9)
          : Math.min(e.ttftMs.mean, 1e9);
  return { ok: true, objective, constraints };
}

// Largest Poisson request rate whose p99 latencies meet the SLO (bisection on the analytic model).
function capacity(spec: SimProblemSpec, cfg: SimConfigInput): Outcome {
  const flood = estimate(cfg, { ...spec.workload, concurrency: undefined, requestRatePerS: 1e6 });
  if (!flood.ok) return { ok: false, reason: flood.failure.kind };
  const max = flood.estimate.requestsPerS;
  const at = (rate: number) =>
    measureAt(spec, cfg, { ...spec.workload, concurrency: undefined, requestRatePerS: rate });
  const lowest = at(max * 0.01);
  if (!lowest.ok || lowest.constraints.some((c) => c > 0))
    return lowest.ok ? { ...lowest, objective: 0 } : lowest;
  let lo = max * 0.01;
  let hi = max;
  for (let i = 0; i < 18; i++) {
    const mid = (lo + hi) / 2;
    const o = at(mid);
    if (o.ok && o.constraints.every((c) => c <= 0)) lo = mid;
    else hi = mid;
  }
  return { ok: true, objective: lo, constraints: [] };
}

// Rounds up to 3 significant digits, so a rounded threshold never excludes the calibrating point.
function ceil3(x: number): number {
  const unit = 10 ** (Math.floor(Math.log10(x)) - 2);
  return Number((Math.ceil(x / unit) * unit).toPrecision(3));
}

function configOf(spec: SimProblemSpec, params: Params): SimConfigInput {
  const cfg: SimConfigInput = { ...spec.base };
  for (const [name, value] of Object.entries(params)) KNOBS[name]?.(value, cfg);
  return cfg;
}

// Thresholds at the lowest common quantile of started configurations that leaves `share` feasible.
function calibrate(spec: SimProblemSpec, share: number): SimProblemSpec {
  const space = normalizeSpace({ parameters: spec.params, constraints: spec.constraints ?? [] });
  const rows: { ttft: number; tpot: number }[] = [];
  let total = 0;
  for (const params of expandGrid(space, 200_000)) {
    total++;
    const r = estimate(configOf(spec, params), spec.workload);
    if (r.ok) rows.push({ ttft: r.estimate.ttftMs.p99, tpot: r.estimate.tpotMs?.p99 ?? 0 });
  }
  const sortedTtft = rows.map((r) => r.ttft).sort((a, b) => a - b);
  const sortedTpot = rows.map((r) => r.tpot).sort((a, b) => a - b);
  const at = (sorted: number[], q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  // TTFT at the median of started configurations when that allows the share, TPOT as low as it can go.
  for (let qTtft = 0.5; qTtft <= 1.0001; qTtft += 0.05)
    for (let qTpot = 0.005; qTpot <= 1.0001; qTpot += 0.005) {
      const ttft = spec.slo.ttftP99Ms === undefined ? Infinity : at(sortedTtft, qTtft);
      const tpot = spec.slo.tpotP99Ms === undefined ? Infinity : at(sortedTpot, qTpot);
      const feasible = rows.filter((r) => r.ttft <= ttft && r.tpot <= tpot).length;
      if (feasible >= share * total) {
        const slo: SimProblemSpec['slo'] = {};
        if (Number.isFinite(ttft)) slo.ttftP99Ms = ceil3(ttft);
        if (Number.isFinite(tpot)) slo.tpotP99Ms = ceil3(tpot);
        return { ...spec, slo };
      }
    }
  return spec;
}

/** Builds the problem (memoised evaluation; calibrated SLO thresholds when `feasibleShare` is set). */
export function simProblem(input: SimProblemSpec): Problem {
  const spec = input.feasibleShare === undefined ? input : calibrate(input, input.feasibleShare);
  const cache = new Map<string, Outcome>();
  const sloText = [
    spec.slo.ttftP99Ms === undefined ? '' : `p99 TTFT <= ${spec.slo.ttftP99Ms} ms`,
    spec.slo.tpotP99Ms === undefined ? '' : `p99 TPOT <= ${spec.slo.tpotP99Ms} ms`,
  ].filter(Boolean);
  const base = problem(
    spec.name,
    { parameters: spec.params, constraints: spec.constraints ?? [] },
    spec.objective !== 'p99-e2e' && spec.objective !== 'mean-ttft',
    spec.objective === 'capacity' ? 0 : sloText.length,
    (params) => {
      const key = JSON.stringify(params);
      const cached = cache.get(key);
      if (cached) return cached;
      const cfg = configOf(spec, params);
      let outcome: Outcome;
      try {
        resolveSimConfig(cfg);
        outcome = spec.objective === 'capacity' ? capacity(spec, cfg) : measureAt(spec, cfg, spec.workload);
      } catch {
        outcome = { ok: false, reason: 'invalid' };
      }
      cache.set(key, outcome);
      return outcome;
    },
  );
  return {
    ...base,
    // The parameters are vLLM flags: the runtime's latency hints apply as they would in a study.
    space: withLatencyHints(base.space, 'vllm'),
    constraintMetrics:
      spec.objective === 'capacity'
        ? []
        : [
            ...(spec.slo.ttftP99Ms === undefined ? [] : ['ttft']),
            ...(spec.slo.tpotP99Ms === undefined ? [] : ['tpot']),
          ],
    description: `${spec.objective}${sloText.length > 0 ? `, ${sloText.join(', ')}` : ''}`,
  };
}
