// Problems of the multi-fidelity benchmark: an engine (vLLM or SGLang flags), a model known by its config.json or
// the catalogue, GPUs, a workload and a TPOT SLO. The "real" engine is the analytic model with hidden deviations
// (compute and bandwidth efficiency, per-step overhead, memory reserve) drawn per seed; the study only knows the
// undeviated model, as it only knows the model against a real engine.
import { join, resolve } from 'node:path';
import { expandGrid } from '../../src/search/grid.js';
import { normalizeSpace } from '../../src/search/normalize-space.js';
import type { SearchSpace, SpaceInput } from '../../src/search/param-spec.js';
import type { Params } from '../../src/search/trial.js';
import { estimate } from '../../src/sim/estimate.js';
import { findGpu, type GpuSpec } from '../../src/sim/gpu-catalogue.js';
import { planMemory } from '../../src/sim/memory-plan.js';
import { findModel, type ModelSpec } from '../../src/sim/model-catalogue.js';
import { modelFromConfig } from '../../src/sim/model-config-file.js';
import { type ScreenResult, screenConfiguration, simConfigForEngine } from '../../src/sim/screen.js';
import type { SimDeviation } from '../../src/sim/sim-config.js';
import { startupPhasesMs } from '../../src/sim/startup.js';
import type { Rng } from '../../src/util/rng.js';

const fixtures = resolve(import.meta.dirname, '../../test/fixtures/models');

/** What one configuration does on an engine: it starts (with its figures) or it does not. */
export type Outcome =
  | { ok: true; tokS: number; tpotP99Ms: number; startupMs: number; kvCapacityTokens: number }
  | { ok: false; reason: string; startupMs: number };

interface ProblemSpec {
  name: string;
  engine: 'vllm' | 'sglang';
  /** A fixture folder under test/fixtures/models, or a catalogue name. */
  model: string;
  gpu: string;
  gpus: number;
  workload: { promptTokens: number; outputTokens: number; concurrency: number };
  space: SpaceInput;
  /** Share of the space's configurations (on the undeviated model) that meet the TPOT SLO. */
  feasibleShare: number;
}

const vllmSpace = (tp: number[], lens: number[], utils = [0.55, 0.7, 0.85, 0.92]): SpaceInput => ({
  '--tensor-parallel-size': tp,
  '--gpu-memory-utilization': utils,
  '--max-model-len': lens,
  '--max-num-seqs': [8, 16, 24, 32, 48, 64, 96, 128, 192, 256],
  '--max-num-batched-tokens': [2048, 8192],
});

const sglangSpace = (tp: number[], lens: number[]): SpaceInput => ({
  '--tp-size': tp,
  '--mem-fraction-static': [0.6, 0.75, 0.85, 0.9],
  '--context-length': lens,
  '--max-running-requests': [8, 16, 24, 32, 48, 64, 96, 128, 192, 256],
  '--chunked-prefill-size': [2048, 8192],
});

const SPECS: ProblemSpec[] = [
  {
    name: 'vllm llama-3.1-8b (config.json) 2x L4',
    engine: 'vllm',
    model: 'llama-3.1-8b-instruct',
    gpu: 'l4',
    gpus: 2,
    workload: { promptTokens: 512, outputTokens: 128, concurrency: 256 },
    space: vllmSpace([1, 2], [4096, 16384, 65536, 131072]),
    feasibleShare: 0.3,
  },
  {
    name: 'vllm qwen3-8b (config.json) 1x A10G',
    engine: 'vllm',
    model: 'qwen3-8b',
    gpu: 'a10g',
    gpus: 1,
    workload: { promptTokens: 1024, outputTokens: 128, concurrency: 256 },
    space: vllmSpace([1], [4096, 8192, 16384, 32768, 40960]),
    feasibleShare: 0.3,
  },
  {
    name: 'vllm mixtral-8x7b (config.json) 4x L40S',
    engine: 'vllm',
    model: 'mixtral-8x7b-v0.1',
    gpu: 'l40s',
    gpus: 4,
    workload: { promptTokens: 512, outputTokens: 256, concurrency: 256 },
    space: vllmSpace([1, 2, 4], [4096, 16384, 32768]),
    feasibleShare: 0.2,
  },
  {
    name: 'sglang qwen2.5-72b (config.json) 8x A100-80GB',
    engine: 'sglang',
    model: 'qwen2.5-72b-instruct',
    gpu: 'a100-80gb',
    gpus: 8,
    workload: { promptTokens: 2048, outputTokens: 256, concurrency: 256 },
    space: sglangSpace([2, 4, 8], [8192, 32768, 131072]),
    feasibleShare: 0.3,
  },
  {
    name: 'sglang qwen3-30b-a3b (config.json) 2x L40',
    engine: 'sglang',
    model: 'qwen3-30b-a3b',
    gpu: 'l40',
    gpus: 2,
    workload: { promptTokens: 1024, outputTokens: 256, concurrency: 256 },
    space: sglangSpace([1, 2], [8192, 32768, 40960]),
    feasibleShare: 0.3,
  },
  {
    name: 'vllm deepseek-v2-lite (config.json) 1x A100-40GB',
    engine: 'vllm',
    model: 'deepseek-v2-lite',
    gpu: 'a100-40gb',
    gpus: 1,
    workload: { promptTokens: 512, outputTokens: 128, concurrency: 256 },
    space: vllmSpace([1], [4096, 16384, 65536, 163840]),
    feasibleShare: 0.3,
  },
  {
    name: 'vllm mistral-7b (config.json) 1x RTX 6000 Ada',
    engine: 'vllm',
    model: 'mistral-7b-v0.3',
    gpu: 'rtx-6000-ada',
    gpus: 1,
    workload: { promptTokens: 256, outputTokens: 256, concurrency: 256 },
    space: vllmSpace([1], [4096, 16384, 32768], [0.3, 0.4, 0.6, 0.9]),
    feasibleShare: 0.4,
  },
  {
    name: 'vllm llama-3.1-70b (catalogue) 4x H100',
    engine: 'vllm',
    model: 'llama-3.1-70b',
    gpu: 'h100',
    gpus: 4,
    workload: { promptTokens: 1024, outputTokens: 256, concurrency: 256 },
    space: vllmSpace([1, 2, 4], [8192, 32768, 131072]),
    feasibleShare: 0.3,
  },
];

/** A benchmark problem: the model the study sees, and the truth of one hidden deviation. */
export interface MfProblem {
  name: string;
  engine: 'vllm' | 'sglang';
  space: SearchSpace;
  /** Every configuration of the space, in grid order. */
  grid: Params[];
  /** GPUs of the host: the study's pool. */
  gpus: number;
  /** Screening's margin (10 %) in bytes of one GPU's memory. */
  marginBytes: number;
  /** The TPOT p99 bound (ms). */
  tpotSloMs: number;
  /** The study's view: what the undeviated model predicts. */
  predict(params: Params): Outcome;
  /** Screening as the study does it (margin 10 %). */
  screen(params: Params): ScreenResult;
  /** The "real" engine with `deviation`. */
  truth(params: Params, deviation: SimDeviation): Outcome;
}

const argsOf = (engine: 'vllm' | 'sglang', params: Params): string[] => [
  ...(engine === 'vllm' ? ['serve', 'model'] : []),
  ...Object.entries(params).flatMap(([k, v]) => [k, String(v)]),
];

function outcomeOf(
  engine: 'vllm' | 'sglang',
  model: ModelSpec,
  gpu: GpuSpec,
  params: Params,
  workload: ProblemSpec['workload'],
  deviation?: SimDeviation,
): Outcome {
  const config = simConfigForEngine({ model, gpu, engine, args: argsOf(engine, params) });
  if (typeof config === 'string') return { ok: false, reason: 'bad-flag', startupMs: 10_000 };
  const real = deviation ? { ...config, deviation } : config;
  const plan = planMemory(real);
  const phases = startupPhasesMs(real, plan);
  const startupMs = phases.init + phases.load + phases.profile + phases.capture;
  const result = estimate(real, workload);
  if (!result.ok) return { ok: false, reason: result.failure.kind, startupMs: result.failure.atMs };
  return {
    ok: true,
    tokS: result.estimate.outputTokensPerS,
    tpotP99Ms: result.estimate.tpotMs?.p99 ?? 0,
    startupMs,
    // What the started engine reports of its KV cache (vLLM's cache_config_info, SGLang's server info), from
    // its own (deviated) memory plan: what the study reads at readiness.
    kvCapacityTokens: plan.kvCapacityTokens,
  };
}

async function loadModel(name: string): Promise<ModelSpec> {
  const catalogue = findModel(name);
  if (catalogue) return catalogue;
  return modelFromConfig(join(fixtures, name));
}

/** The problems, with their SLO calibrated on the undeviated model. */
export async function multiFidelityProblems(): Promise<MfProblem[]> {
  const out: MfProblem[] = [];
  for (const spec of SPECS) {
    const model = await loadModel(spec.model);
    const gpuSpec = findGpu(spec.gpu);
    if (!gpuSpec) throw new Error(`unknown GPU ${spec.gpu}`);
    const gpu = gpuSpec;
    const space = normalizeSpace(spec.space);
    const grid = [...expandGrid(space, 100_000)];
    const predict = (params: Params) => outcomeOf(spec.engine, model, gpu, params, spec.workload);
    const started = grid
      .map(predict)
      .flatMap((o) => (o.ok ? [o.tpotP99Ms] : []))
      .sort((a, b) => a - b);
    const index = Math.min(started.length - 1, Math.floor(spec.feasibleShare * grid.length));
    const tpotSloMs = (started[Math.max(0, index)] ?? 100) * 1.0001;
    out.push({
      name: spec.name,
      engine: spec.engine,
      space,
      grid,
      tpotSloMs,
      gpus: spec.gpus,
      marginBytes: 0.1 * gpu.memoryGiB * 2 ** 30,
      predict,
      screen: (params) =>
        screenConfiguration({
          model,
          gpu,
          engine: spec.engine,
          args: argsOf(spec.engine, params),
          margin: 0.1,
        }),
      truth: (params, deviation) => outcomeOf(spec.engine, model, gpu, params, spec.workload, deviation),
    });
  }
  return out;
}

/** A hidden deviation: efficiency +-30 %, up to 1 ms per step, up to 1.5 GiB more reserve per GPU. */
export function drawDeviation(rng: Rng): SimDeviation {
  const within = (low: number, high: number) => low + (high - low) * rng.next();
  return {
    compute: within(0.7, 1.3),
    bandwidth: within(0.7, 1.3),
    stepMs: within(0, 1),
    reserveGiB: within(0, 1.5),
  };
}
