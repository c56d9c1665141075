// Each canonical parallel knob (src/parallelism) spelled as the flag of every engine that has it.
import { type ParallelKnob, parallelKnobOf } from '../parallelism/parallel-config.js';
import type { EngineFlavor } from './runtime-name.js';

/** Engine flag of every parallel knob, per engine (absent where the engine has no such knob). */
export const PARALLEL_FLAGS: Readonly<Partial<Record<ParallelKnob, Partial<Record<EngineFlavor, string>>>>> =
  {
    tp: { vllm: '--tensor-parallel-size', sglang: '--tp-size' },
    pp: { vllm: '--pipeline-parallel-size', sglang: '--pp-size' },
    dp: { vllm: '--data-parallel-size', sglang: '--dp-size' },
    cp: { vllm: '--prefill-context-parallel-size', sglang: '--attn-cp-size' },
    dcp: { vllm: '--decode-context-parallel-size', sglang: '--dcp-size' },
    ep: { sglang: '--ep-size' },
    expertParallel: { vllm: '--enable-expert-parallel' },
    dpAttention: { sglang: '--enable-dp-attention' },
    nnodes: { vllm: '--nnodes', sglang: '--nnodes' },
    gpuLayers: { llamacpp: '--n-gpu-layers' },
    devices: { llamacpp: '--device' },
    splitMode: { llamacpp: '--split-mode' },
    tensorSplit: { llamacpp: '--tensor-split' },
  };

/**
 * The engine flag a parallel-knob spelling means on `engine` (`tp`, `tp_size`, `tensor-parallel` ->
 * `--tp-size` on SGLang), using the parallelism module's one normalisation; undefined otherwise.
 */
export function parallelFlagFor(name: string, engine: EngineFlavor, value?: unknown): string | undefined {
  const knob = parallelKnobOf(name);
  if (!knob) return undefined;
  // vLLM's `-ep` is a switch, SGLang's `--ep` a size: a boolean `ep` means the switch.
  if (knob === 'ep' && (typeof value === 'boolean' || engine === 'vllm')) {
    return PARALLEL_FLAGS.expertParallel?.[engine];
  }
  return PARALLEL_FLAGS[knob]?.[engine];
}
