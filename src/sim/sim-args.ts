// inference-sim argv -> simulator configuration: each engine's modelled flags mapped onto the engine-neutral config.
import { errorMessage } from '../errors.js';

import type { EngineFlavor } from '../parallelism/engine-flavor.js';
import { normalizeParallelism } from '../parallelism/parallel-config.js';
import { worldSizeOf } from '../parallelism/world-size.js';
import { loadRegistry } from '../runtimes/registry.js';
import { findGpu, type GpuSpec, gpuCatalogue } from './gpu-catalogue.js';
import { findModel, type ModelSpec, modelCatalogue } from './model-catalogue.js';
import {
  type ArgsError,
  type EngineArgs,
  type FlagValue,
  isArgsError,
  parseEngineArgs,
} from './parse-engine-args.js';
import type { SimConfigInput, WeightFormat } from './sim-config.js';

/** A parsed command line: the configuration plus where to listen. */
export interface SimCommandLine {
  config: SimConfigInput;
  host: string;
  port: number;
}

/** Weight format implied by a quantisation method name (vLLM / SGLang spellings). */
export function weightFormatOf(quantization: string | undefined): WeightFormat {
  const q = (quantization ?? '').toLowerCase();
  if (q === '' || q === 'none' || q === 'unquant') return 'bf16';
  if (/awq|gptq|marlin|int4|w4|4bit|bitsandbytes|mxfp4|nvfp4|fp4|wna16|q4/.test(q)) return 'int4';
  if (/fp8|mxfp8|w8a8_fp8/.test(q)) return 'fp8';
  if (/int8|w8a8|q8|experts_int8/.test(q)) return 'int8';
  return 'bf16';
}

/** Bytes per KV element of a KV-cache dtype name (vLLM, SGLang, llama.cpp spellings). */
export function kvBytesOf(dtype: string | undefined): number {
  const d = (dtype ?? 'auto').toLowerCase();
  if (d === 'f32') return 4;
  if (/fp8|int8|q8|mxfp8|k8v4/.test(d)) return 1;
  if (/fp4|nvfp4|q4|iq4|3bit|4bit/.test(d)) return 0.56;
  if (/q5/.test(d)) return 0.69;
  return 2;
}

const str = (value: FlagValue | undefined): string | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? String(value[0]) : String(value);
const num = (value: FlagValue | undefined): number | undefined =>
  typeof value === 'number' ? value : undefined;
const bool = (value: FlagValue | undefined): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined;

function engineSpecific(engine: EngineFlavor, v: Map<string, FlagValue>, config: SimConfigInput): void {
  if (engine === 'vllm') {
    config.maxNumSeqs = num(v.get('--max-num-seqs'));
    config.maxBatchedTokens = num(v.get('--max-num-batched-tokens'));
    config.chunkedPrefill = bool(v.get('--enable-chunked-prefill'));
    config.prefixCaching = bool(v.get('--enable-prefix-caching'));
    config.gpuMemoryUtilization = num(v.get('--gpu-memory-utilization'));
    config.maxModelLen = num(v.get('--max-model-len'));
    config.blockSize = num(v.get('--block-size'));
    config.cudaGraphs = v.get('--enforce-eager') === true ? false : undefined;
    config.cudaGraphMaxBatch = num(v.get('--max-cudagraph-capture-size'));
    config.servedModelName = str(v.get('--served-model-name'));
  } else if (engine === 'sglang') {
    const chunk = num(v.get('--chunked-prefill-size'));
    const maxPrefill = num(v.get('--max-prefill-tokens'));
    config.chunkedPrefill = chunk === undefined ? undefined : chunk > 0;
    // Without chunking a prefill batch is bounded by --max-prefill-tokens (SGLang default 16384).
    config.maxBatchedTokens =
      chunk !== undefined && chunk > 0 ? chunk : chunk !== undefined ? (maxPrefill ?? 16_384) : maxPrefill;
    config.maxNumSeqs = num(v.get('--max-running-requests'));
    config.gpuMemoryUtilization = num(v.get('--mem-fraction-static'));
    config.maxModelLen = num(v.get('--context-length'));
    config.kvCapacityTokensOverride = num(v.get('--max-total-tokens'));
    config.prefixCaching = v.get('--disable-radix-cache') === true ? false : undefined;
    config.mixedBatches = v.get('--enable-mixed-chunk') === true ? true : undefined;
    config.schedulePolicy = v.get('--schedule-policy') === 'lpm' ? 'lpm' : 'fcfs';
    config.cudaGraphs =
      v.get('--disable-cuda-graph') === true || v.get('--disable-decode-cuda-graph') === true
        ? false
        : undefined;
    config.cudaGraphMaxBatch = num(v.get('--cuda-graph-max-bs')) ?? num(v.get('--cuda-graph-max-bs-decode'));
    config.servedModelName = str(v.get('--served-model-name'));
    config.seed ??= num(v.get('--random-seed'));
  } else {
    const parallel = num(v.get('--parallel'));
    const slots = parallel === undefined || parallel < 1 ? 4 : parallel;
    const ctx = num(v.get('--ctx-size'));
    config.maxNumSeqs = slots;
    config.maxBatchedTokens = num(v.get('--batch-size'));
    config.kvCapacityTokensOverride = ctx !== undefined && ctx > 0 ? ctx : undefined;
    const unified = bool(v.get('--kv-unified')) ?? parallel === undefined;
    if (ctx !== undefined && ctx > 0)
      config.maxModelLen = unified ? ctx : Math.max(1, Math.floor(ctx / slots));
    config.kvBytesPerElement = kvBytesOf(str(v.get('--cache-type-k')));
    config.chunkedPrefill = true;
    config.servedModelName = str(v.get('--alias'));
  }
}

/**
 * Turns parsed flags into a configuration; errors (unknown model or GPU, conflicting sizes) exit with 1. `known`
 * gives the model and GPU described elsewhere (a config.json, a probe) instead of by catalogue name.
 */
export function simConfigFromArgs(
  args: EngineArgs,
  known: { model?: ModelSpec; gpu?: GpuSpec } = {},
): SimCommandLine | ArgsError {
  const v = args.values;
  const engine = args.engine;
  const modelName =
    known.model?.name ??
    str(v.get('--model')) ??
    str(v.get('--model-path')) ??
    args.positional[0] ??
    'llama-3.1-8b';
  if (!known.model && !findModel(modelName))
    return {
      exitCode: 1,
      message: `error: unknown model ${JSON.stringify(modelName)}; the simulator knows ${modelCatalogue()
        .map((m) => m.name)
        .join(', ')}`,
    };
  const gpuName = known.gpu?.name ?? str(v.get('--gpu')) ?? 'h100';
  if (!known.gpu && !findGpu(gpuName))
    return {
      exitCode: 1,
      message: `error: unknown GPU ${JSON.stringify(gpuName)}; the simulator knows ${gpuCatalogue()
        .map((g) => g.name)
        .join(', ')}`,
    };
  const params: Record<string, unknown> = {};
  for (const [name, value] of v) if (!args.simFlags.has(name)) params[name] = value;
  let layout: ReturnType<typeof normalizeParallelism>;
  try {
    layout = normalizeParallelism(params);
  } catch (error) {
    return { exitCode: 2, message: `error: ${errorMessage(error)}` };
  }
  const numGpus = num(v.get('--num-gpus'));
  const world = worldSizeOf(layout, engine, { visibleGpus: numGpus ?? 1 });
  const config: SimConfigInput = {
    engine,
    model: known.model ?? modelName,
    gpu: known.gpu ?? gpuName,
    tensorParallel: layout.tp,
    pipelineParallel: layout.pp,
    dataParallel: layout.dpAttention ? 1 : layout.dp,
    worldSize: Math.max(1, world),
    weightFormat: weightFormatOf(str(v.get('--quantization'))),
    kvBytesPerElement: kvBytesOf(str(v.get('--kv-cache-dtype'))),
    seed: num(v.get('--seed')),
    timeScale: num(v.get('--time-scale')),
    noiseCv: num(v.get('--noise-cv')),
    loadTimeScale: num(v.get('--load-time-scale')),
    startupCrashRate: num(v.get('--startup-crash-rate')),
    crashAfterRequests: num(v.get('--crash-after-requests')),
    deviation: {
      compute: num(v.get('--deviate-compute')),
      bandwidth: num(v.get('--deviate-bandwidth')),
      stepMs: num(v.get('--deviate-step-ms')),
      reserveGiB: num(v.get('--deviate-reserve-gib')),
    },
    engineVersion: str(v.get('--engine-version')),
  };
  if (numGpus !== undefined) config.numGpus = numGpus;
  if (engine === 'llamacpp' && world > 1) {
    // llama-server splits by layer (pipeline) unless --split-mode row/tensor shards each layer.
    if (layout.splitMode === 'row' || layout.splitMode === 'tensor') config.tensorParallel = world;
    else config.pipelineParallel = world;
  }
  engineSpecific(engine, v, config);
  for (const key of Object.keys(config) as (keyof SimConfigInput)[])
    if (config[key] === undefined) delete config[key];
  const defaultPort = loadRegistry(engine).bySpelling.get('--port')?.default;
  const port = num(v.get('--port')) ?? (typeof defaultPort === 'number' ? defaultPort : 8000);
  return { config, host: str(v.get('--host')) ?? '127.0.0.1', port };
}

/** Parses an inference-sim command line (engine flags plus simulator flags). */
export function parseSimArgs(argv: readonly string[]): SimCommandLine | ArgsError {
  const args = parseEngineArgs(argv);
  return isArgsError(args) ? args : simConfigFromArgs(args);
}
