// The engine's own default of each flag a generated problem tunes, so that the first trial of a study (the
// defaults) is the configuration the engine would run untuned: the registry's documented default, or, where
// the engine computes it at start-up (the registry says none), the value the simulator models for it.
import { loadRegistry } from '../../src/runtimes/registry.js';
import type { ParamInput } from '../../src/search/param-spec.js';
import type { ParamValue } from '../../src/search/trial.js';
import { resolveSimConfig, type SimConfig } from '../../src/sim/sim-config.js';

/** The engine, model, GPU and context length the defaults depend on. */
export interface DefaultContext {
  flavour: 'vllm' | 'sglang';
  model: string;
  gpu: string;
  maxModelLen: number;
}

// Flags whose default the engine computes at start-up, read from the simulator's resolved configuration.
const COMPUTED: Record<string, (c: SimConfig) => ParamValue> = {
  'max-num-seqs': (c) => c.maxNumSeqs,
  'max-running-requests': (c) => c.maxNumSeqs,
  'max-num-batched-tokens': (c) => c.maxBatchedTokens,
  'chunked-prefill-size': (c) => c.maxBatchedTokens,
  'enable-chunked-prefill': (c) => c.chunkedPrefill,
  'enable-prefix-caching': (c) => c.prefixCaching,
  'block-size': (c) => c.blockSize,
  'max-cudagraph-capture-size': (c) => c.cudaGraphMaxBatch,
  'cuda-graph-max-bs': (c) => c.cudaGraphMaxBatch,
  'mem-fraction-static': (c) => c.gpuMemoryUtilization,
};

/** Where a flag's default came from: the registry, or the simulator's model of a default computed at start-up. */
export type DefaultSource = 'registry' | 'computed';

/** The engine default of flag `name` (no dashes) and where it came from; throws when neither source has one. */
export function engineDefault(
  name: string,
  ctx: DefaultContext,
): { value: ParamValue; source: DefaultSource } {
  const documented = loadRegistry(ctx.flavour).bySpelling.get(`--${name}`)?.default;
  if (typeof documented === 'number' || typeof documented === 'boolean' || typeof documented === 'string')
    return { value: documented, source: 'registry' };
  const computed = COMPUTED[name];
  if (!computed) throw new Error(`no engine default known for ${ctx.flavour} flag --${name}`);
  const config = resolveSimConfig({
    engine: ctx.flavour,
    model: ctx.model,
    gpu: ctx.gpu,
    maxModelLen: ctx.maxModelLen,
  });
  return { value: computed(config), source: 'computed' };
}

/** The values a spec allows (a stepped range listed out; a float range without a step is open). */
function allowed(spec: Exclude<ParamInput, ParamValue | readonly ParamValue[]>): ParamValue[] | undefined {
  if ('type' in spec && spec.type === 'bool') return [false, true];
  if ('values' in spec) return [...spec.values];
  if ('low' in spec) {
    const step = spec.step ?? 1;
    const count = Math.round((spec.high - spec.low) / step);
    return Array.from({ length: count + 1 }, (_, i) => Math.round((spec.low + i * step) * 1e9) / 1e9);
  }
  return undefined;
}

// Distance between a value and the default: on a log scale for positive numbers (widths and budgets grow
// multiplicatively), 0 for equal values, Infinity for values of another kind.
function distance(a: ParamValue, b: ParamValue): number {
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number')
    return a > 0 && b > 0 ? Math.abs(Math.log(a / b)) : Math.abs(a - b);
  return Number.POSITIVE_INFINITY;
}

/**
 * The spec with `value` as its default when the domain holds it, else the allowed value nearest to it (the
 * domain is left as drawn, so a space is the same whatever its default). `moved` says the default was not in it.
 */
export function placeDefault<S extends Exclude<ParamInput, ParamValue | readonly ParamValue[]>>(
  spec: S,
  value: ParamValue,
): { spec: S; moved: boolean } {
  const values = allowed(spec) ?? [];
  let best: ParamValue | undefined;
  for (const v of values) if (best === undefined || distance(v, value) < distance(best, value)) best = v;
  if (best === undefined || distance(best, value) === Number.POSITIVE_INFINITY)
    throw new Error(`default ${JSON.stringify(value)} has no counterpart in ${JSON.stringify(spec)}`);
  return { spec: { ...spec, default: best }, moved: best !== value };
}
