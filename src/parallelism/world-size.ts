// GPUs a configuration needs, per runtime, from each engine's own documented semantics.
import { InvalidParameterError } from '../errors.js';
import { ENGINE_FLAVORS, type EngineFlavor, type ParallelRuntime as RuntimeName } from './engine-flavor.js';
import { canonicalKey, normalizeParallelism, type ParallelConfig } from './parallel-config.js';

/** Options of worldSize. */
export interface WorldSizeOptions {
  /**
   * llama.cpp only: GPUs visible to the server when the parameters do not name devices (llama-server
   * splits the model across every visible device). @default 1
   */
  visibleGpus?: number;
  /** sim only: the engine the simulated server imitates when the parameters carry no `engine`. @default 'vllm' */
  engine?: EngineFlavor;
}

const ENGINES: readonly EngineFlavor[] = ENGINE_FLAVORS;

/** The engine whose semantics apply: the runtime itself, or for `sim` its `engine` parameter (default vLLM). */
export function effectiveEngine(
  params: Readonly<Record<string, unknown>>,
  runtime: RuntimeName,
  fallback: EngineFlavor = 'vllm',
): EngineFlavor {
  if (runtime !== 'sim') return runtime;
  for (const [key, value] of Object.entries(params)) {
    if (canonicalKey(key) !== 'engine' || value === undefined || value === null) continue;
    if (typeof value === 'string' && (ENGINES as readonly string[]).includes(value))
      return value as EngineFlavor;
    throw new InvalidParameterError(
      `Parameter ${key} must be one of ${ENGINES.join(', ')}, got ${JSON.stringify(value)}`,
      { [key]: value },
    );
  }
  return fallback;
}

/** True when the layout runs on CPU only: `-ngl 0` (llama.cpp), or a `device` of `cpu` / `none`. */
export function runsOnCpu(config: ParallelConfig, engine: EngineFlavor): boolean {
  const devices = config.devices?.map((d) => d.toLowerCase());
  if (devices && devices.length > 0 && devices.every((d) => d === 'cpu' || d === 'none')) return true;
  return engine === 'llamacpp' && config.gpuLayers === 0;
}

/** Names the sizes of a layout that are not positive integers (a world size cannot be built from them). */
export function sizeProblems(config: ParallelConfig): InvalidParameterError[] {
  const problems: InvalidParameterError[] = [];
  const sizes: [keyof ParallelConfig & string, number | undefined][] = [
    ['tp', config.tp],
    ['pp', config.pp],
    ['dp', config.dp],
    ['cp', config.cp],
    ['dcp', config.dcp],
    ['ep', config.ep],
    ['nnodes', config.nnodes],
  ];
  for (const [knob, value] of sizes) {
    if (value === undefined || (Number.isInteger(value) && value >= 1)) continue;
    const key = config.spellings[knob as keyof ParallelConfig['spellings']] ?? knob;
    problems.push(
      new InvalidParameterError(`Parameter ${key} must be a positive integer, got ${value}`, {
        [key]: value,
      }),
    );
  }
  return problems;
}

/** GPUs of a normalised layout for one engine (no size check; see worldSize). */
export function worldSizeOf(
  config: ParallelConfig,
  engine: EngineFlavor,
  options: WorldSizeOptions = {},
): number {
  if (runsOnCpu(config, engine)) return 0;
  switch (engine) {
    case 'vllm':
      // vLLM ParallelConfig (vllm/config/parallel.py): world_size = pp * tp * pcp, and each of the dp engine
      // replicas takes its own world. --decode-context-parallel-size help: "reuses the GPUs of the TP group";
      // expert parallelism (docs: Expert Parallel Deployment) spans the tp * dp GPUs already counted.
      return config.tp * config.pp * config.cp * config.dp;
    case 'sglang':
      // SGLang server_args: dp replicas each take tp * pp GPUs, except with --enable-dp-attention ("data
      // parallelism for attention and tensor parallelism for FFN"), where the dp attention groups split the
      // TP group (attn_tp_size = tp / dp). --ep-size shards experts inside the TP group (moe_tp = tp / ep,
      // docs: Expert Parallelism); attention context parallel and --dcp-size also partition the TP group.
      return config.tp * config.pp * (config.dpAttention ? 1 : config.dp);
    case 'llamacpp':
      return llamacppDevices(config, options);
  }
}

function llamacppDevices(config: ParallelConfig, options: WorldSizeOptions): number {
  // llama-server README: --device "comma-separated list of devices to use for offloading (none = don't
  // offload)"; --split-mode none uses the single --main-gpu; --tensor-split gives one proportion per device;
  // otherwise the model is split (layer mode by default) across every visible device.
  const devices = config.devices?.filter((d) => !['cpu', 'none'].includes(d.toLowerCase()));
  if (devices && devices.length > 0) return devices.length;
  if (config.splitMode === 'none') return 1;
  if (config.tensorSplit && config.tensorSplit.length > 0) return config.tensorSplit.length;
  return options.visibleGpus ?? 1;
}

/**
 * Number of GPUs a configuration needs on `runtime` (all nodes together): vLLM `tp * pp * pcp * dp`
 * (dcp and EP reuse those GPUs); SGLang `tp * pp * dp`, or `tp * pp` under `--enable-dp-attention`
 * (EP, dcp and attention cp live inside the TP group); llama.cpp 0 on CPU (`-ngl 0`, `device: cpu`),
 * else the named devices, 1 with `--split-mode none`, or the visible GPUs; `sim` follows the engine named
 * by its `engine` parameter (default vLLM). Throws InvalidParameterError for conflicting spellings and for
 * sizes that are not positive integers.
 */
export function worldSize(
  params: Readonly<Record<string, unknown>>,
  runtime: RuntimeName,
  options: WorldSizeOptions = {},
): number {
  const engine = effectiveEngine(params, runtime, options.engine);
  const config = normalizeParallelism(params);
  const [first] = sizeProblems(config);
  if (first) throw first;
  return worldSizeOf(config, engine, options);
}

/** GPUs one node needs: the world size divided by `--nnodes` (rounded up). */
export function gpusPerNode(
  params: Readonly<Record<string, unknown>>,
  runtime: RuntimeName,
  options: WorldSizeOptions = {},
): number {
  const total = worldSize(params, runtime, options);
  return Math.ceil(total / normalizeParallelism(params).nnodes);
}
