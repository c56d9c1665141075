// Builds a realistic study journal without a GPU: each trial's metrics come from the simulated engine's
// analytic model (estimate()), scored against an SLO like a study would. For report benchmarks and fixtures.

import { exportConfig } from '../../src/deploy/exports.js';
import type { GpuInfo } from '../../src/gpu/gpu-info.js';
import { launchSpec } from '../../src/runtimes/launch-spec.js';
import type { Params } from '../../src/search/trial.js';
import { estimate } from '../../src/sim/estimate.js';
import { scoreRun } from '../../src/slo/score-run.js';
import type { LatencyStats, RunMetrics, SloSpec } from '../../src/slo/types.js';
import { rankFeasible, summarizeConfirmation } from '../../src/tune/confirm.js';
import type { JournalHeader } from '../../src/tune/journal/journal-types.js';
import type { FailureReason, TrialRecord } from '../../src/tune/trial-record.js';
import { redactValue } from '../../src/util/redact.js';
import { createRng, type Rng } from '../../src/util/rng.js';

/** Options of syntheticJournal. */
export interface SyntheticJournalOptions {
  trials: number;
  seed?: number;
  /** Write the final result entry (false imitates an interrupted study). @default true */
  finished?: boolean;
}

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const SLO: SloSpec = {
  terms: [
    { metric: 'ttft', stat: 'p99', maxMs: 600 },
    { metric: 'tpot', stat: 'p99', maxMs: 45 },
  ],
  maxErrorRate: 0.01,
};
const WORKLOAD = { promptTokens: 1024, outputTokens: 256, concurrency: 96 };
const START = Date.parse('2026-03-02T09:00:00.000Z');

function gpu(index: number): GpuInfo {
  return {
    index,
    uuid: `GPU-5a7c0f3e-0000-4000-8000-00000000000${index}`,
    name: 'NVIDIA H100 80GB HBM3',
    memoryTotalMiB: 81_559,
    memoryUsedMiB: 0,
    memoryFreeMiB: 81_559,
    utilizationPct: 0,
    processes: [],
    driverVersion: '550.54.15',
  };
}

function sampleParams(rng: Rng): Params {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)] as T;
  return {
    'tensor-parallel-size': pick([1, 2, 4]),
    'max-num-seqs': Math.round(16 * 2 ** (rng.next() * 5)),
    'max-num-batched-tokens': pick([2048, 4096, 8192, 16384]),
    'gpu-memory-utilization': Math.round((0.7 + rng.next() * 0.25) * 100) / 100,
    'enable-chunked-prefill': rng.next() < 0.5,
    'enable-prefix-caching': rng.next() < 0.5,
    'kv-cache-dtype': pick(['auto', 'fp8']),
  };
}

function stats(
  summary: { mean: number; p50: number; p90: number; p99: number },
  noise: number,
): LatencyStats {
  const s = (v: number) => Math.round(v * noise * 100) / 100;
  return {
    mean: s(summary.mean),
    p50: s(summary.p50),
    p90: s(summary.p90),
    p95: s((summary.p90 + summary.p99) / 2),
    p99: s(summary.p99),
  };
}

// Metrics of one run, or the failure that stops it.
function measure(
  params: Params,
  rng: Rng,
): { metrics: RunMetrics } | { reason: FailureReason; message: string } {
  if (rng.next() < 0.04) return { reason: 'readiness-timeout', message: 'engine not ready after 900000 ms' };
  const tp = Number(params['tensor-parallel-size'] ?? 1);
  const result = estimate(
    {
      model: 'llama-3.1-8b',
      gpu: 'h100',
      tensorParallel: tp,
      maxNumSeqs: Number(params['max-num-seqs'] ?? 256),
      maxBatchedTokens: Number(params['max-num-batched-tokens'] ?? 8192),
      gpuMemoryUtilization: Number(params['gpu-memory-utilization'] ?? 0.9),
      chunkedPrefill: params['enable-chunked-prefill'] !== false,
      prefixCaching: params['enable-prefix-caching'] === true,
      kvBytesPerElement: params['kv-cache-dtype'] === 'fp8' ? 1 : 2,
      maxModelLen: 8192,
    },
    WORKLOAD,
  );
  if (!result.ok) {
    return { reason: result.failure.kind === 'oom' ? 'oom' : 'crash', message: result.failure.message };
  }
  const e = result.estimate;
  const noise = 1 + (rng.next() - 0.5) * 0.06;
  const ttft = stats(e.ttftMs, noise);
  const tpot = stats(e.tpotMs ?? e.ttftMs, noise);
  const meets = (ttft.p99 ?? 0) <= 600 && (tpot.p99 ?? 0) <= 45;
  const attainment = meets ? 0.995 : (ttft.p50 ?? 0) <= 600 ? 0.7 : 0.15;
  return {
    metrics: {
      ttftMs: ttft,
      tpotMs: tpot,
      itlMs: tpot,
      e2eMs: stats(e.e2eMs, noise),
      requestsPerS: e.requestsPerS / noise,
      inputTokensPerS: (e.requestsPerS * WORKLOAD.promptTokens) / noise,
      outputTokensPerS: e.outputTokensPerS / noise,
      totalTokensPerS: e.totalTokensPerS / noise,
      errorRate: 0,
      goodputRps: (e.requestsPerS / noise) * attainment,
      attainment,
      requestCount: 400,
    },
  };
}

function record(
  number: number,
  params: Params,
  rng: Rng,
  phase: TrialRecord['phase'],
  confirmOf?: number,
): TrialRecord {
  const tp = Number(params['tensor-parallel-size'] ?? 1);
  const gpus = Array.from({ length: tp }, (_, i) => gpu(i));
  const startedMs = START + number * 95_000;
  const spec = launchSpec(params, gpus, {
    runtime: 'vllm',
    model: MODEL,
    studyId: 'study-7f3a',
    trialId: String(number),
    target: 'container',
    hfToken: 'hf_abcdefghijklmnopqrstuvwx',
  });
  const base = {
    number,
    params,
    phase,
    ...(confirmOf === undefined ? {} : { confirmOf }),
    worldSize: tp,
    gpuIndices: gpus.map((g) => g.index),
    startedAt: new Date(startedMs).toISOString(),
    manifest: {
      runtime: 'vllm',
      engineVersion: '0.22.0',
      image: spec.image,
      imageDigest: 'sha256:3b1f0c2d9e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b',
      command: spec.command,
      argv: spec.args,
      env: { ...spec.env, HF_TOKEN: '[REDACTED]' },
      gpus: gpus.map((g) => ({ index: g.index, uuid: g.uuid, name: g.name, driverVersion: g.driverVersion })),
      controller: 'docker',
      workload: { kind: 'synthetic', inputTokens: 1024, outputTokens: 256 },
      load: { kind: 'concurrency', levels: [96] },
      seed: 7,
      library: { name: 'inference-autotuner', version: '0.1.0' },
    },
  };
  const outcome = measure(params, rng);
  if ('reason' in outcome) {
    const durationMs = 20_000 + Math.round(rng.next() * 40_000);
    return {
      ...base,
      state: 'failed',
      feasible: false,
      failureReason: outcome.reason,
      failure: {
        reason: outcome.reason,
        message: outcome.message,
        logTail: 'torch.OutOfMemoryError: CUDA out of memory',
      },
      finishedAt: new Date(startedMs + durationMs).toISOString(),
      durationMs,
    };
  }
  const score = scoreRun(outcome.metrics, 'maximize_throughput', SLO);
  const durationMs = 60_000 + Math.round(rng.next() * 30_000);
  return {
    ...base,
    state: 'complete',
    values: score.values,
    constraints: score.constraints,
    objective: score.objective,
    feasible: score.feasible,
    metrics: outcome.metrics,
    penalty: score.penalty,
    finishedAt: new Date(startedMs + durationMs).toISOString(),
    durationMs,
    startupMs: 18_000 + Math.round(rng.next() * 10_000),
    benchmarkMs: 40_000,
  };
}

/** The journal of a simulated study as JSON lines (header, trials, then the result when finished). */
export function syntheticJournal(options: SyntheticJournalOptions): string {
  const rng = createRng(options.seed ?? 7);
  const header: JournalHeader = {
    type: 'header',
    formatVersion: 1,
    studyId: 'study-7f3a',
    fingerprint: '9c1e4b7d2a',
    seed: options.seed ?? 7,
    createdAt: new Date(START).toISOString(),
    library: { name: 'inference-autotuner', version: '0.1.0' },
    options: {
      name: 'llama-8b-chat',
      runtime: 'vllm',
      model: MODEL,
      hfToken: '[REDACTED]',
      controller: { kind: 'docker', network: 'bridge', pull: 'missing' },
      objective: 'maximize_throughput',
      slo: SLO,
      workload: { kind: 'synthetic', inputTokens: 1024, outputTokens: 256 },
      load: { kind: 'concurrency', levels: [96] },
      budget: { maxTrials: options.trials },
      confirm: { top: 2, repeats: 2 },
      seed: options.seed ?? 7,
    },
  };
  const trials: TrialRecord[] = [record(0, {}, rng, 'baseline')];
  for (let n = 1; n <= options.trials; n++) trials.push(record(n, sampleParams(rng), rng, 'search'));
  let next = options.trials + 1;
  for (const top of rankFeasible(trials).slice(0, 2)) {
    for (let i = 0; i < 2; i++) trials.push(record(next++, top.params, rng, 'confirm', top.number));
  }
  const lines = [header, ...trials.map((t) => ({ type: 'trial', ...t }))];
  if (options.finished ?? true) {
    const confirmation = summarizeConfirmation(trials, 2);
    const winner = trials.find((t) => t.number === confirmation.winner);
    if (winner) {
      const gpus = Array.from({ length: winner.worldSize }, (_, i) => gpu(i));
      const common = {
        runtime: 'vllm',
        model: MODEL,
        studyId: 'study-7f3a',
        trialId: String(winner.number),
        hfToken: 'hf_abcdefghijklmnopqrstuvwx',
      } as const;
      // The command line is for a host; the other exports start the container image.
      const local = exportConfig(launchSpec(winner.params, gpus, common));
      const container = exportConfig(launchSpec(winner.params, gpus, { ...common, target: 'container' }));
      const defaults = trials[0] as TrialRecord;
      const base = defaults.objective?.[0];
      const confirmedMean = confirmation.configs.find((c) => c.trial === winner.number)?.mean;
      const mine = confirmedMean ?? winner.objective?.[0] ?? 0;
      lines.push({
        type: 'result',
        stopReason: `reached the budget of ${options.trials} trials`,
        objectiveNames: ['maximize_throughput'],
        directions: ['maximize'],
        best: {
          trial: winner.number,
          params: winner.params,
          objective: winner.objective,
          confirmedMean,
          tiedWith: confirmation.tiedWith,
          record: winner,
          exports: { ...container, argv: local.argv },
        },
        pareto: [winner.number],
        confirmation,
        defaults: {
          defaultsTrial: 0,
          defaultsFeasible: defaults.feasible,
          improvement: defaults.feasible && base ? (mine - base) / Math.abs(base) : undefined,
        },
        elapsedMs: next * 95_000,
      } as never);
    }
  }
  // Redacted line by line, as the journal writer does.
  return `${lines.map((l) => JSON.stringify(redactValue(l))).join('\n')}\n`;
}
