import { describe, expect, it } from 'vitest';
import { findGpu, type GpuSpec } from '../../../src/sim/gpu-catalogue.js';
import { findModel, type ModelSpec } from '../../../src/sim/model-catalogue.js';
import { screenConfiguration, simConfigForEngine } from '../../../src/sim/screen.js';

const GIB = 1024 ** 3;
const llama = findModel('llama-3.1-8b') as ModelSpec;
// 20 GiB device: at utilisation 0.5 the engine may use exactly 10 GiB.
const gpu: GpuSpec = { ...(findGpu('l4') as GpuSpec), memoryGiB: 20 };
// A model whose bf16 weights weigh `gib` GiB.
const weighing = (gib: number): ModelSpec => ({ ...llama, name: 'test', paramsB: (gib * GIB) / 2 / 1e9 });
const vllm = (...flags: string[]) => ['serve', 'test', ...flags];

describe('screenConfiguration', () => {
  it('screens weights beyond usable memory x (1 + margin), keeps those within the margin', () => {
    const args = vllm('--gpu-memory-utilization', '0.5', '--max-model-len', '1024');
    // 9.5 GiB of weights plus about 1.3 GiB of reserve do not fit in 10 GiB, but leave room for 1024 tokens of
    // KV cache in 11 GiB: a model error of 8 % could make the difference, so it is kept.
    const near = screenConfiguration({ model: weighing(9.5), gpu, engine: 'vllm', args, margin: 0.1 });
    expect(near.screened).toBe(false);
    expect(near.predicted?.weightBytesPerGpu).toBeCloseTo(9.5 * GIB, -3);
    expect(near.predicted?.usableBytes).toBeCloseTo(10 * GIB, -3);
    expect(near.predicted?.kvBytesAvailable).toBeLessThan(0);
    // 11.5 GiB exceeds even 11 GiB.
    const far = screenConfiguration({ model: weighing(11.5), gpu, engine: 'vllm', args, margin: 0.1 });
    expect(far).toMatchObject({ screened: true, kind: 'oom' });
    if (far.screened) expect(far.reason).toContain('even with 10% more memory');
    // A margin of 0.3 (13 GiB) keeps it; margin 0 screens the near one.
    expect(
      screenConfiguration({ model: weighing(11.5), gpu, engine: 'vllm', args, margin: 0.3 }).screened,
    ).toBe(false);
    expect(screenConfiguration({ model: weighing(9.5), gpu, engine: 'vllm', args, margin: 0 })).toMatchObject(
      {
        screened: true,
        kind: 'oom',
      },
    );
  });

  it('splits weights over tensor parallelism and checks heads divide', () => {
    const model = weighing(15);
    const tp1 = screenConfiguration({
      model,
      gpu,
      engine: 'vllm',
      args: vllm('--gpu-memory-utilization', '0.5'),
    });
    expect(tp1).toMatchObject({ screened: true, kind: 'oom' });
    const tp2 = screenConfiguration({
      model,
      gpu,
      engine: 'vllm',
      args: vllm('--gpu-memory-utilization', '0.5', '--tensor-parallel-size', '2', '--max-model-len', '1024'),
    });
    expect(tp2.screened).toBe(false);
    expect(tp2.predicted?.weightBytesPerGpu).toBeCloseTo(7.5 * GIB, -3);
    const tp3 = screenConfiguration({
      model,
      gpu,
      engine: 'vllm',
      args: vllm('--tensor-parallel-size', '3'),
    });
    expect(tp3).toMatchObject({ screened: true, kind: 'invalid-parallelism' });
    if (tp3.screened) expect(tp3.reason).toContain('(32) must be divisible by tensor parallel size (3)');
  });

  it('screens a max-model-len the KV cache cannot hold, with the margin, and one beyond the model context', () => {
    const h100 = findGpu('h100') as GpuSpec;
    // Llama 3.1 8B: 128 KiB of KV per token; 131072 tokens need 16 GiB.
    const full = screenConfiguration({
      model: llama,
      gpu: h100,
      engine: 'vllm',
      args: vllm('--gpu-memory-utilization', '0.3', '--max-model-len', '131072'),
    });
    expect(full).toMatchObject({ screened: true, kind: 'kv-too-small' });
    expect(full.predicted?.kvBytesNeeded).toBe(16 * GIB);
    const short = screenConfiguration({
      model: llama,
      gpu: h100,
      engine: 'vllm',
      args: vllm('--gpu-memory-utilization', '0.3', '--max-model-len', '8192'),
    });
    expect(short.screened).toBe(false);
    const tooLong = screenConfiguration({
      model: llama,
      gpu: h100,
      engine: 'vllm',
      args: vllm('--max-model-len', '262144'),
    });
    expect(tooLong).toMatchObject({ screened: true, kind: 'context' });
  });

  it('applies the checkpoint quantisation unless a flag overrides it, and reads SGLang flags', () => {
    const fp8 = { ...llama, weightFormat: 'fp8' as const };
    const declared = simConfigForEngine({ model: fp8, gpu, engine: 'vllm', args: vllm() });
    expect(typeof declared !== 'string' && declared.weightFormat).toBe('fp8');
    const sglang = simConfigForEngine({
      model: llama,
      gpu,
      engine: 'sglang',
      args: ['--model-path', '/m', '--tp-size', '2', '--mem-fraction-static', '0.7'],
    });
    expect(sglang).toMatchObject({ tensorParallel: 2, gpuMemoryUtilization: 0.7, engine: 'sglang' });
  });

  it('does not screen a command line the simulator cannot read', () => {
    const result = screenConfiguration({ model: llama, gpu, engine: 'vllm', args: vllm('--no-such-flag') });
    expect(result).toEqual({ screened: false });
  });
});
