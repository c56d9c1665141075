// Which way engine knobs move latency: the `lowers` hints a study gives the search for repairing a broken SLO.
import type { ParamDef, SearchSpace } from '../search/param-spec.js';
import type { ParamValue } from '../search/trial.js';
import type { LatencyMetric } from '../slo/types.js';
import { conceptOf, ENGINE_CONCEPTS } from './engine-concepts.js';
import { normalizeParamName } from './param-name.js';
import type { EngineFlavor } from './runtime-name.js';

/**
 * The end of a knob's range that tends to lower a metric: `high` / `low` for sizes, `on` / `off` for
 * switches (as the concept reads; an inverted flag flips it), `compact` for a smaller data type.
 */
export type LatencyLever = 'high' | 'low' | 'on' | 'off' | 'compact';

/**
 * Engine-independent tendencies, per engine concept, under a fixed offered load:
 * - more GPUs per replica (tensor parallel) or more replicas (data parallel) shorten every phase;
 * - a wider batch (concurrent sequences) queues less (TTFT) but makes each decode step slower (TPOT, ITL);
 * - more tokens per step finishes prefills sooner (TTFT) but stalls running decodes longer (TPOT, ITL);
 * - chunked prefill keeps decodes running beside long prefills; CUDA graphs make decode steps cheaper (queues drain sooner);
 * - prefix caching skips recomputing shared prompt prefixes; a compact KV cache reads fewer bytes per step.
 * GPU memory share and pipeline parallelism are left out: their effect depends on the model and GPU.
 */
export const LATENCY_TENDENCIES: Readonly<Record<string, Partial<Record<LatencyMetric, LatencyLever>>>> = {
  'tensor parallel size': { ttft: 'high', tpot: 'high', itl: 'high', e2e: 'high' },
  'data parallel size': { ttft: 'high', tpot: 'high', itl: 'high', e2e: 'high' },
  'concurrent sequences': { ttft: 'high', tpot: 'low', itl: 'low' },
  'tokens per step': { ttft: 'high', tpot: 'low', itl: 'low' },
  'chunked prefill': { tpot: 'on', itl: 'on' },
  'CUDA graphs off': { ttft: 'off', tpot: 'off', itl: 'off', e2e: 'off' },
  'prefix caching': { ttft: 'on', e2e: 'on' },
  'KV cache data type': { tpot: 'compact', itl: 'compact' },
};

/**
 * Which way engine knobs move the memory a replica needs per GPU (the `memory` key of the `lowers` hints, read
 * when a configuration ran out of memory at start-up): more GPUs per replica (tensor or pipeline parallel)
 * split the weights, a larger memory share leaves more of each GPU to them, running without CUDA graphs frees
 * their capture pool (vLLM `--enforce-eager`, SGLang `--disable-cuda-graph`), and a compact KV type halves the
 * bytes each cached token needs.
 */
export const MEMORY_TENDENCIES: Readonly<Record<string, LatencyLever>> = {
  'tensor parallel size': 'high',
  'pipeline parallel size': 'high',
  'GPU memory fraction': 'high',
  'CUDA graphs off': 'on',
  'KV cache data type': 'compact',
};

/**
 * Which way engine knobs move the GPUs a configuration occupies (the `gpus` key of the `lowers` hints, read
 * when a layout did not fit the GPUs): each parallel size multiplies them.
 */
export const GPU_TENDENCIES: Readonly<Record<string, LatencyLever>> = {
  'tensor parallel size': 'low',
  'pipeline parallel size': 'low',
  'data parallel size': 'low',
};

/**
 * Which way engine knobs relieve KV-cache pressure (the `kv` key of the `lowers` hints, read when a trial's
 * telemetry shows a saturated KV cache or preempted requests): fewer concurrent sequences need fewer blocks, a
 * larger memory share and a compact KV type give each block more room.
 */
export const KV_TENDENCIES: Readonly<Record<string, LatencyLever>> = {
  'concurrent sequences': 'low',
  'GPU memory fraction': 'high',
  'KV cache data type': 'compact',
};

/** KV cache types smaller than 16 bits (vLLM/SGLang `fp8*`, llama.cpp `q8_0`, `q4_0`, ...). */
const COMPACT_TYPE = /^(fp8|int8|int4|q\d|iq\d)/i;

// Positive values only: engines spell "off" or "automatic" as 0 or -1 (SGLang's `--chunked-prefill-size -1`
// disables chunking, the opposite of a small chunk).
function numericValues(param: ParamDef): number[] | undefined {
  if (param.kind === 'int' || param.kind === 'float') return [param.low, param.high].filter((v) => v > 0);
  if (param.kind === 'categorical' && param.values.every((v) => typeof v === 'number'))
    return (param.values as number[]).filter((v) => v > 0);
  return undefined;
}

// The value of the parameter's domain at the lever's end, when the domain has one.
function leverValue(param: ParamDef, lever: LatencyLever, inverted: boolean): ParamValue | undefined {
  if (lever === 'on' || lever === 'off') {
    const wanted = (lever === 'on') !== inverted;
    if (param.kind === 'bool') return wanted;
    if (param.kind === 'categorical' && param.values.includes(wanted)) return wanted;
    return undefined;
  }
  if (lever === 'compact')
    return param.kind === 'categorical'
      ? param.values.find((v) => typeof v === 'string' && COMPACT_TYPE.test(v))
      : undefined;
  const values = numericValues(param);
  if (!values || values.length < 2) return undefined;
  return lever === 'high' ? Math.max(...values) : Math.min(...values);
}

/** The `lowers` hints (latency metrics, `memory`, `gpus`, `kv`) of one parameter of an engine, or undefined when none. */
export function latencyHintsFor(
  flavor: EngineFlavor,
  param: ParamDef,
): Record<string, ParamValue> | undefined {
  const flag = normalizeParamName(param.name);
  const concept = conceptOf(flavor, flag);
  if (!concept) return undefined;
  const tendencies: Record<string, LatencyLever> = { ...LATENCY_TENDENCIES[concept] };
  const memory = MEMORY_TENDENCIES[concept];
  if (memory !== undefined) tendencies['memory'] = memory;
  const gpus = GPU_TENDENCIES[concept];
  if (gpus !== undefined) tendencies['gpus'] = gpus;
  const kv = KV_TENDENCIES[concept];
  if (kv !== undefined) tendencies['kv'] = kv;
  const inverted = ENGINE_CONCEPTS[concept]?.[flavor]?.inverted === true;
  const lowers: Record<string, ParamValue> = {};
  for (const [metric, lever] of Object.entries(tendencies)) {
    const value = leverValue(param, lever, inverted);
    if (value !== undefined) lowers[metric] = value;
  }
  return Object.keys(lowers).length > 0 ? lowers : undefined;
}

/** The space with the engine's hints on every parameter that has none of its own (`lowers: {}` opts out). */
export function withLatencyHints(space: SearchSpace, flavor: EngineFlavor): SearchSpace {
  return {
    params: space.params.map((param) => {
      if (param.lowers !== undefined) return param;
      const lowers = latencyHintsFor(flavor, param);
      return lowers ? { ...param, lowers } : param;
    }),
    constraints: space.constraints,
  };
}
