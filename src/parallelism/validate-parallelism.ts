// Checks a parallel layout against the engine's rules, the model's shape and the GPUs available.
import { InvalidParameterError } from '../errors.js';
import type { ParallelRuntime as RuntimeName } from './engine-flavor.js';
import { normalizeParallelism, type ParallelConfig, type ParallelKnob } from './parallel-config.js';
import { effectiveEngine, sizeProblems, type WorldSizeOptions, worldSizeOf } from './world-size.js';

/** What validateParallelism knows about the model and the machine; unknown facts are not checked. */
export interface ParallelismContext extends WorldSizeOptions {
  /** Attention (query) heads of the model. */
  numAttentionHeads?: number;
  /** Key/value heads of the model (grouped-query attention). */
  numKvHeads?: number;
  /** Routed experts of a mixture-of-experts model. */
  numExperts?: number;
  /** Transformer layers of the model (pipeline stages cannot outnumber them). */
  numLayers?: number;
  /** GPUs one node can give the configuration. */
  gpusAvailable?: number;
}

function problem(
  config: ParallelConfig,
  knobs: Partial<Record<ParallelKnob, unknown>>,
  facts: Record<string, unknown>,
  rule: string,
): InvalidParameterError {
  const parameters: Record<string, unknown> = {};
  const shown: string[] = [];
  for (const [knob, value] of Object.entries(knobs)) {
    const key = config.spellings[knob as ParallelKnob] ?? knob;
    parameters[key] = value;
    shown.push(`${key}=${JSON.stringify(value)}`);
  }
  for (const [name, value] of Object.entries(facts)) {
    parameters[name] = value;
    shown.push(`${name}=${JSON.stringify(value)}`);
  }
  return new InvalidParameterError(`${rule} (${shown.join(', ')})`, parameters);
}

const divides = (d: number, n: number): boolean => n % d === 0;

/** True for validateParallelism's problem of a layout needing more GPUs per node than are available. */
export function needsMoreGpus(problem: InvalidParameterError): boolean {
  return problem.parameters['gpusAvailable'] !== undefined;
}

/**
 * Every rule a parallel layout breaks on `runtime`, each as an InvalidParameterError naming the parameters
 * (in the user's spelling) and values; empty when the layout is valid. Sizes must be positive integers;
 * tp must divide the attention heads (and the KV heads must divide tp or be divisible by it) when the model is
 * known; decode-context-parallel must divide tp; under SGLang's --enable-dp-attention dp must divide tp;
 * SGLang's ep and attention cp must divide tp; the expert-parallel size must divide the experts; pipeline
 * stages cannot outnumber layers; nnodes must divide the world size, and each node's share must fit in
 * `gpusAvailable`.
 */
export function validateParallelism(
  params: Readonly<Record<string, unknown>>,
  runtime: RuntimeName,
  context: ParallelismContext = {},
): InvalidParameterError[] {
  let config: ParallelConfig;
  let engine: ReturnType<typeof effectiveEngine>;
  try {
    config = normalizeParallelism(params);
    engine = effectiveEngine(params, runtime, context.engine);
  } catch (error) {
    if (error instanceof InvalidParameterError) return [error];
    throw error;
  }
  const problems = sizeProblems(config);
  if (problems.length > 0) return problems;
  const { tp, dp, cp, dcp, pp, ep, nnodes } = config;
  // llama.cpp has no tensor/pipeline/data-parallel sizes of its own: only device placement applies.
  if (engine !== 'llamacpp') {
    const heads = context.numAttentionHeads;
    if (heads !== undefined && !divides(tp, heads)) {
      problems.push(
        problem(config, { tp }, { numAttentionHeads: heads }, 'tp must divide the attention heads'),
      );
    }
    const kv = context.numKvHeads;
    // vLLM / SGLang shard KV heads across TP ranks, or replicate them when tp exceeds them.
    if (kv !== undefined && !divides(tp, kv) && !divides(kv, tp)) {
      problems.push(
        problem(config, { tp }, { numKvHeads: kv }, 'tp and the KV heads must divide one another'),
      );
    }
    // vLLM --decode-context-parallel-size help: "tp_size needs to be divisible by dcp_size"; SGLang alike.
    if (!divides(dcp, tp)) problems.push(problem(config, { dcp, tp }, {}, 'dcp must divide tp'));
    if (context.numLayers !== undefined && pp > context.numLayers) {
      problems.push(problem(config, { pp }, { numLayers: context.numLayers }, 'pp cannot exceed the layers'));
    }
  }
  if (engine === 'sglang') problems.push(...sglangProblems(config));
  const experts = context.numExperts;
  const epSize = expertParallelSize(config, engine);
  if (engine === 'vllm' && ep !== undefined && config.expertParallel && ep !== tp * dp * cp) {
    // vLLM has no EP-size flag: expert parallelism spans every tp * dp (* pcp) rank (Expert Parallel Deployment).
    problems.push(
      problem(config, { ep, tp, dp, cp }, {}, 'vLLM derives the expert-parallel size as tp * dp * cp'),
    );
  }
  if (experts !== undefined && experts > 0 && epSize > 1 && !divides(epSize, experts)) {
    problems.push(
      problem(
        config,
        { ep: epSize },
        { numExperts: experts },
        'the expert-parallel size must divide the experts',
      ),
    );
  }
  const world = worldSizeOf(config, engine, context);
  if (!divides(nnodes, world) && world > 0) {
    problems.push(problem(config, { nnodes }, { worldSize: world }, 'nnodes must divide the world size'));
  }
  const perNode = Math.ceil(world / nnodes);
  if (context.gpusAvailable !== undefined && perNode > context.gpusAvailable) {
    problems.push(
      problem(
        config,
        nnodes > 1 ? { nnodes } : {},
        { worldSize: world, gpusAvailable: context.gpusAvailable },
        'the configuration needs more GPUs than are available',
      ),
    );
  }
  if (engine === 'llamacpp' && config.tensorSplit) {
    const split = config.tensorSplit;
    if (split.some((x) => !(x >= 0)) || !split.some((x) => x > 0)) {
      problems.push(
        problem(
          config,
          { tensorSplit: split },
          {},
          'tensor-split needs non-negative proportions, one positive',
        ),
      );
    }
  }
  return problems;
}

function sglangProblems(config: ParallelConfig): InvalidParameterError[] {
  const { tp, dp, cp, ep } = config;
  const problems: InvalidParameterError[] = [];
  // SGLang: with --enable-dp-attention the dp attention groups split the TP group (attn_tp_size = tp / dp).
  if (config.dpAttention && !divides(dp, tp)) {
    problems.push(problem(config, { dp, tp, dpAttention: true }, {}, 'dp must divide tp under dp-attention'));
  }
  // SGLang hybrid EP/TP: MoE layers run ep groups of tp / ep ranks (docs: Expert Parallelism).
  if (ep !== undefined && !divides(ep, tp))
    problems.push(problem(config, { ep, tp }, {}, 'ep must divide tp'));
  const attnTp = config.dpAttention && divides(dp, tp) ? tp / dp : tp;
  if (!divides(cp, attnTp)) {
    problems.push(problem(config, { cp, tp }, {}, 'attention cp must divide the attention TP size'));
  }
  return problems;
}

/** Expert-parallel size of a layout: SGLang's ep, vLLM's tp * dp * pcp when EP is on, else 1. */
export function expertParallelSize(
  config: ParallelConfig,
  engine: ReturnType<typeof effectiveEngine>,
): number {
  if (engine === 'sglang') return config.ep ?? 1;
  if (engine === 'vllm' && config.expertParallel) return config.tp * config.dp * config.cp;
  return 1;
}

/** Throws one InvalidParameterError listing every rule the layout breaks (see validateParallelism). */
export function assertValidParallelism(
  params: Readonly<Record<string, unknown>>,
  runtime: RuntimeName,
  context: ParallelismContext = {},
): void {
  const problems = validateParallelism(params, runtime, context);
  if (problems.length === 0) return;
  if (problems.length === 1) throw problems[0];
  const parameters = Object.assign({}, ...problems.map((p) => p.parameters)) as Record<string, unknown>;
  throw new InvalidParameterError(
    `Invalid parallel layout: ${problems.map((p) => p.message).join('; ')}`,
    parameters,
    { cause: new AggregateError(problems) },
  );
}
