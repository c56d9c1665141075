// GPU and model catalogues: required entries, consistent figures and sources.
import { describe, expect, it } from 'vitest';
import { findGpu, gpuCatalogue } from '../../../src/sim/gpu-catalogue.js';
import { findModel, modelCatalogue } from '../../../src/sim/model-catalogue.js';

describe('catalogues', () => {
  it.each(['a100-40gb', 'a100-80gb', 'h100', 'h200', 'l40s', 'rtx-4090', 'b200'])('knows GPU %s', (name) => {
    const gpu = findGpu(name.toUpperCase());
    expect(gpu?.name).toBe(name);
    expect(gpu?.source).toMatch(/^https:\/\//);
  });

  it.each([
    'llama-3.1-8b',
    'llama-3.1-70b',
    'qwen2.5-7b',
    'qwen2.5-14b',
    'qwen2.5-32b',
    'qwen2.5-72b',
    'mixtral-8x7b',
  ])('knows model %s', (name) => {
    const model = findModel(name);
    expect(model?.name).toBe(name);
    expect(model?.source).toMatch(/^https:\/\/huggingface.co\//);
  });

  it('finds models by Hugging Face id and rejects unknown names', () => {
    expect(findModel('meta-llama/Llama-3.1-8B-Instruct')?.name).toBe('llama-3.1-8b');
    expect(findModel('Qwen/Qwen2.5-72B-Instruct')?.name).toBe('qwen2.5-72b');
    expect(findModel('nobody/unknown')).toBeUndefined();
    expect(findGpu('v100')).toBeUndefined();
  });

  it.each([
    ['NVIDIA GeForce RTX 4090', 'rtx-4090'],
    ['NVIDIA H100 80GB HBM3', 'h100'],
    ['NVIDIA A100-SXM4-80GB', 'a100-80gb'],
    ['Tesla V100-SXM2-16GB', undefined],
  ])('finds the catalogue entry of device name %s', (device, name) => {
    expect(findGpu(device)?.name).toBe(name);
  });

  it.each(modelCatalogue().map((m) => [m.name, m] as const))('%s has a consistent shape', (_name, model) => {
    expect(Number.isInteger(model.headDim)).toBe(true);
    expect(model.attentionHeads % model.kvHeads).toBe(0);
    expect(model.activeParamsB).toBeLessThanOrEqual(model.paramsB);
    if (model.moe) expect(model.moe.expertParamsB).toBeLessThan(model.paramsB);
  });

  it.each(gpuCatalogue().map((g) => [g.name, g] as const))('%s has positive figures', (_name, gpu) => {
    expect(gpu.bf16Tflops).toBeGreaterThan(0);
    expect(gpu.memoryBandwidthGBps).toBeGreaterThan(0);
    if (gpu.fp8Tflops !== undefined) expect(gpu.fp8Tflops).toBeGreaterThan(gpu.bf16Tflops);
  });
});
