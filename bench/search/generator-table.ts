// One configuration of a generated problem measured the way a study would run it: flags through the public
// argument builder, the simulator's command-line parser, then the analytic estimate; memoised per configuration.
import { buildCliArgs } from '../../src/runtimes/cli-args.js';
import type { SearchSpace } from '../../src/search/param-spec.js';
import { paramsKey } from '../../src/search/space-checks.js';
import type { Params } from '../../src/search/trial.js';
import { estimate } from '../../src/sim/estimate.js';
import { parseSimArgs } from '../../src/sim/sim-args.js';
import { resolveSimConfig, type SimConfigInput } from '../../src/sim/sim-config.js';
import type { SimWorkload } from '../../src/sim/virtual-run.js';
import type { LatencyRow } from './generator-slo.js';

/** The fixed part of a generated problem: engine, model, GPUs, context length and workload. */
export interface Setting {
  flavour: 'vllm' | 'sglang';
  model: string;
  gpu: string;
  numGpus: number;
  maxModelLen: number;
  workload: SimWorkload;
}

/** What a configuration that starts measures: output tokens/s, GPUs used, p99 latencies and mean TTFT. */
export interface Measured {
  ok: true;
  config: SimConfigInput;
  tokensPerS: number;
  requestsPerS: number;
  gpus: number;
  latency: LatencyRow;
  meanTtftMs: number;
}

/** A configuration's measurement, or why it would not start. */
export type Row = Measured | { ok: false; reason: string };

/** Flags -> argv -> simulator configuration, or the reason the engine would refuse them. */
export function configOf(setting: Setting, params: Params): SimConfigInput | string {
  let flags: string[];
  try {
    flags = buildCliArgs(params, setting.flavour);
  } catch {
    return 'invalid-flags';
  }
  const context = setting.flavour === 'vllm' ? '--max-model-len' : '--context-length';
  const parsed = parseSimArgs([
    ...['--engine', setting.flavour, '--model', setting.model, '--gpu', setting.gpu],
    ...['--num-gpus', String(setting.numGpus), context, String(setting.maxModelLen), ...flags],
  ]);
  return 'exitCode' in parsed ? 'invalid-args' : parsed.config;
}

// True when the layout needs more GPUs than the engine sees (what a study checks before launching).
function tooWide(config: SimConfigInput): boolean {
  try {
    const resolved = resolveSimConfig(config);
    return resolved.worldSize > resolved.numGpus;
  } catch {
    return false;
  }
}

/** Measures a configuration under a workload (p99 latencies, Infinity when an open loop saturates). */
export function measureConfig(config: SimConfigInput, workload: SimWorkload): Row {
  const result = estimate(config, workload);
  // A layout wider than the host's GPUs never reaches the engine in a study: it is refused as no-capacity.
  if (!result.ok) return { ok: false, reason: tooWide(config) ? 'no-capacity' : result.failure.kind };
  const e = result.estimate;
  return {
    ok: true,
    config,
    tokensPerS: e.outputTokensPerS,
    requestsPerS: e.requestsPerS,
    gpus: config.worldSize ?? 1,
    latency: { ttft: e.ttftMs.p99, tpot: e.tpotMs?.p99 ?? 0, e2e: e.e2eMs.p99 },
    meanTtftMs: e.ttftMs.mean,
  };
}

/** Largest Poisson request rate a started configuration serves within every SLO threshold (bisection). */
export function capacityOf(row: Measured, workload: SimWorkload, slo: Partial<LatencyRow>): number {
  const at = (rate: number): boolean => {
    const r = measureConfig(row.config, { ...workload, concurrency: undefined, requestRatePerS: rate });
    return r.ok && (Object.entries(slo) as [keyof LatencyRow, number][]).every(([m, t]) => r.latency[m] <= t);
  };
  const flood = measureConfig(row.config, { ...workload, concurrency: undefined, requestRatePerS: 1e6 });
  if (!flood.ok) return 0;
  let lo = flood.requestsPerS * 0.01;
  if (!at(lo)) return 0;
  let hi = flood.requestsPerS;
  for (let i = 0; i < 14; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** A memoised table of rows keyed by configuration. */
export function createTable(
  space: SearchSpace,
  setting: Setting,
  workload: SimWorkload,
): (params: Params) => Row {
  const cache = new Map<string, Row>();
  return (params) => {
    const key = paramsKey(space, params);
    let row = cache.get(key);
    if (row === undefined) {
      const config = configOf(setting, params);
      row = typeof config === 'string' ? { ok: false, reason: config } : measureConfig(config, workload);
      cache.set(key, row);
    }
    return row;
  };
}
