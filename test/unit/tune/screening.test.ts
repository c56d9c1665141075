import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { screeningPlan, studyScreeningModel } from '../../../src/tune/screening.js';
import { scratchDir } from '../../support/scratch-dir.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/models');
const l4 = (count: number) =>
  Array.from({ length: count }, () => ({ name: 'NVIDIA L4', memoryTotalMiB: 23034 }));
const emptyHub = scratchDir('screening-hub-');

describe('screeningPlan', () => {
  it('screens a 72B model on L4s by tensor-parallel size, and the defaults of SGLang', async () => {
    const resolved = resolveOptions({
      runtime: 'sglang',
      model: 'Qwen/Qwen2.5-72B-Instruct',
      modelPath: join(fixtures, 'qwen2.5-72b-instruct'),
      fixedParams: { 'context-length': 4096 },
      space: { 'tp-size': [1, 2, 4, 8] },
    });
    const plan = await screeningPlan(resolved, l4(8));
    expect(plan).toMatchObject({ status: 'done', model: 'qwen2.5-72b-instruct', gpu: 'l4', checked: 4 });
    // 145 GB of bf16 weights: 8 x 24 GB hold them (18 GB each), 4 do not (36 GB each).
    expect(plan.screened?.map((s) => [s.params['tp-size'], s.kind])).toEqual([
      [1, 'oom'],
      [2, 'oom'],
      [4, 'oom'],
    ]);
    expect(plan.baselineScreened?.kind).toBe('oom');
  });

  it('samples a space too large to enumerate, and caps the list', async () => {
    const resolved = resolveOptions({
      runtime: 'vllm',
      model: 'Qwen/Qwen3-8B',
      modelPath: join(fixtures, 'qwen3-8b'),
      space: {
        'gpu-memory-utilization': { low: 0.3, high: 0.95 },
        'max-model-len': [4096, 32768],
      },
    });
    const plan = await screeningPlan(resolved, l4(1), { enumerateLimit: 64, show: 5 });
    expect(plan).toMatchObject({ status: 'done', sampled: true, checked: 64, spaceSize: Infinity });
    expect(plan.screenedCount).toBeGreaterThan(5);
    expect(plan.screenedCount).toBeLessThan(64);
    expect(plan.screened).toHaveLength(5);
    expect(plan.byKind?.oom).toBeGreaterThan(0);
    // Qwen3 8B (16.4 GB of bf16 weights) cannot load with less than 0.6 of 24 GB even with 10 % to spare.
    for (const s of plan.screened ?? [])
      if (s.kind === 'oom') expect(s.params['gpu-memory-utilization']).toBeLessThan(0.75);
  });

  it('runs without the model and says why', async () => {
    const vllm = (extra: Record<string, unknown>) =>
      resolveOptions({ runtime: 'vllm', model: 'org/absent-model', ...extra });
    const missing = await studyScreeningModel(vllm({}), l4(1), { hubCacheDir: emptyHub() });
    expect(missing.reason).toMatch(
      /^runs without the model because .*org\/absent-model.*not in the Hugging Face cache/,
    );
    const noGpus = await studyScreeningModel(vllm({}), []);
    expect(noGpus.reason).toBe('runs without the model because the study has no GPU inventory to describe');
    const mixed = await studyScreeningModel(vllm({ modelPath: join(fixtures, 'qwen3-8b') }), [
      ...l4(1),
      { name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559 },
    ]);
    expect(mixed.reason).toMatch(/the GPUs differ \(l4, h100/);
    const llamacpp = await studyScreeningModel(
      resolveOptions({ runtime: 'llamacpp', model: 'x.gguf' }),
      l4(1),
    );
    expect(llamacpp.reason).toMatch(/runtime llamacpp has none \(vLLM and SGLang have one\)/);
    const sim = await studyScreeningModel(resolveOptions({ model: 'llama-3.1-8b' }), l4(1));
    expect(sim.reason).toBe(
      "runs without the model because runtime sim is simulated (the model screens real engines' GPU memory)",
    );
    const off = await screeningPlan(vllm({ screening: { enabled: false } }), l4(1));
    expect(off).toMatchObject({ status: 'off', margin: 0.1 });
  });
});
