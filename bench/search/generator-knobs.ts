// The engine flags a generated problem may tune, per engine flavour, each drawn as a list, a range or a switch,
// with the engine's own default as the parameter's default.
import type { BooleanSpec, CategoricalSpec, ParamInput, RangeSpec } from '../../src/search/param-spec.js';
import type { Rng } from '../../src/util/rng.js';
import { type DefaultContext, engineDefault, placeDefault } from './generator-defaults.js';

type Spec = CategoricalSpec | RangeSpec | BooleanSpec;

/** What a knob's domain is drawn from (the GPUs the layout may use) and its engine default depends on. */
export interface KnobContext extends DefaultContext {
  numGpus: number;
}

/** One tunable flag: its name, an optional parent switch it is conditional on, and a domain draw. */
export interface Knob {
  name: string;
  /** The knob exists only when this switch holds `value` (the parent is then tuned too). */
  parent?: { name: string; value: boolean };
  /** Layout knobs need more than one GPU to have a choice. */
  needsGpus?: number;
  /** The domain, without a default (the engine's is added to it). */
  draw(rng: Rng, ctx: KnobContext): Spec;
}

/** `count` distinct sorted values from `pool`, consecutive (a window), at least two. */
function window(rng: Rng, pool: readonly number[], min: number, max: number): number[] {
  const count = Math.min(pool.length, rng.int(min, max));
  const start = rng.int(0, pool.length - count);
  return pool.slice(start, start + count);
}

const powersUpTo = (n: number): number[] => [1, 2, 4, 8].filter((v) => v <= n);

// A batch width as a list of powers of two or as an integer range with a step.
function width(rng: Rng): Spec {
  if (rng.next() < 0.5) {
    return { values: window(rng, [8, 16, 32, 64, 128, 256, 512, 1024], 3, 6) };
  }
  const step = rng.pick([16, 32, 64]);
  const steps = rng.int(3, 7);
  const low = step * rng.int(1, 4);
  return { low, high: low + step * steps, step };
}

// A per-step token budget as a list.
function budget(rng: Rng): Spec {
  return { values: window(rng, [512, 1024, 2048, 4096, 8192, 16384], 2, 5) };
}

// A memory share as a float range with a step of 0.05.
function memoryShare(rng: Rng, low: number[], high: number[]): Spec {
  const lo = rng.pick(low);
  const hi = rng.pick(high);
  return { low: lo, high: hi, step: 0.05 };
}

const flag = (): Spec => ({ type: 'bool' });

function layout(ctx: KnobContext, share = false): Spec {
  return { values: powersUpTo(share ? Math.max(2, ctx.numGpus / 2) : ctx.numGpus) };
}

const VLLM: Knob[] = [
  { name: 'tensor-parallel-size', needsGpus: 2, draw: (_rng, ctx) => layout(ctx) },
  {
    name: 'pipeline-parallel-size',
    needsGpus: 2,
    draw: () => ({ values: [1, 2] }),
  },
  { name: 'data-parallel-size', needsGpus: 2, draw: (_rng, ctx) => layout(ctx, true) },
  { name: 'max-num-seqs', draw: width },
  { name: 'max-num-batched-tokens', parent: { name: 'enable-chunked-prefill', value: true }, draw: budget },
  { name: 'gpu-memory-utilization', draw: (rng) => memoryShare(rng, [0.7, 0.75, 0.8], [0.9, 0.95]) },
  { name: 'enable-chunked-prefill', draw: flag },
  { name: 'enable-prefix-caching', draw: flag },
  {
    name: 'kv-cache-dtype',
    draw: () => ({ values: ['auto', 'fp8'] }),
  },
  { name: 'block-size', draw: () => ({ values: [16, 32] }) },
  { name: 'enforce-eager', draw: flag },
  {
    name: 'max-cudagraph-capture-size',
    parent: { name: 'enforce-eager', value: false },
    draw: (rng) => ({ values: window(rng, [32, 64, 128, 256, 512], 2, 4) }),
  },
];

const SGLANG: Knob[] = [
  { name: 'tp-size', needsGpus: 2, draw: (_rng, ctx) => layout(ctx) },
  { name: 'dp-size', needsGpus: 2, draw: (_rng, ctx) => layout(ctx, true) },
  { name: 'max-running-requests', draw: width },
  { name: 'chunked-prefill-size', draw: budget },
  { name: 'mem-fraction-static', draw: (rng) => memoryShare(rng, [0.65, 0.7, 0.75], [0.85, 0.9]) },
  {
    name: 'schedule-policy',
    draw: () => ({ values: ['fcfs', 'lpm'] }),
  },
  { name: 'disable-radix-cache', draw: flag },
  { name: 'enable-mixed-chunk', draw: flag },
  { name: 'kv-cache-dtype', draw: () => ({ values: ['auto', 'fp8_e5m2'] }) },
  { name: 'disable-cuda-graph', draw: flag },
  {
    name: 'cuda-graph-max-bs',
    parent: { name: 'disable-cuda-graph', value: false },
    draw: (rng) => ({ values: window(rng, [32, 64, 128, 256, 512], 2, 4) }),
  },
];

/** The batch-width knob every problem tunes, and the rest of the pool, of one flavour. */
export function knobsOf(flavour: 'vllm' | 'sglang'): { width: string; pool: Knob[] } {
  return flavour === 'vllm'
    ? { width: 'max-num-seqs', pool: VLLM }
    : { width: 'max-running-requests', pool: SGLANG };
}

/**
 * Draws `count` knobs (4 to 8): the batch width always, the others at random; a conditional knob brings its
 * parent switch along (it counts towards `count`) and is conditional on it. Each default is the engine's (see
 * generator-defaults), or the value of the drawn domain nearest to it when the domain does not hold it.
 */
export function drawParams(
  rng: Rng,
  flavour: 'vllm' | 'sglang',
  ctx: KnobContext,
  count: number,
): Record<string, ParamInput> {
  const { width: widthName, pool } = knobsOf(flavour);
  const usable = pool.filter((k) => (k.needsGpus ?? 1) <= ctx.numGpus);
  const chosen = new Map<string, Knob>();
  const add = (k: Knob) => chosen.set(k.name, k);
  add(usable.find((k) => k.name === widthName) as Knob);
  const rest = usable.filter((k) => k.name !== widthName);
  while (chosen.size < count && rest.length > 0) {
    const [k] = rest.splice(rng.int(0, rest.length - 1), 1) as [Knob];
    if (chosen.has(k.name)) continue;
    if (k.parent && !chosen.has(k.parent.name)) {
      if (chosen.size + 2 > count) continue;
      const parent = usable.find((p) => p.name === k.parent?.name) as Knob;
      add(parent);
      const at = rest.indexOf(parent);
      if (at >= 0) rest.splice(at, 1);
    }
    add(k);
  }
  const params: Record<string, ParamInput> = {};
  for (const k of chosen.values()) {
    const { spec } = placeDefault(k.draw(rng.fork(k.name), ctx), engineDefault(k.name, ctx).value);
    params[k.name] =
      k.parent && chosen.has(k.parent.name) ? { ...spec, when: { [k.parent.name]: [k.parent.value] } } : spec;
  }
  return params;
}
