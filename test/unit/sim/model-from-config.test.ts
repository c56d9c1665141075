// config.json of each architecture family parsed into the performance model's figures; parameter counts within
// 2% of the published sizes; quantisation and bad configs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelConfigError } from '../../../src/errors.js';
import { planMemory } from '../../../src/sim/memory-plan.js';
import { findModel } from '../../../src/sim/model-catalogue.js';
import { modelFromConfigJson } from '../../../src/sim/model-from-config.js';
import { resolveSimConfig } from '../../../src/sim/sim-config.js';

const dir = path.resolve(import.meta.dirname, '../../fixtures/models');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(dir, name, 'config.json'), 'utf8'));
const parse = (name: string) => modelFromConfigJson(fixture(name), name);

describe('modelFromConfigJson', () => {
  // Published sizes: model cards (total / active parameters, billions); see src/sim/SOURCES.md.
  it.each([
    ['llama-3.1-8b-instruct', 8.03, 8.03, [32, 4096, 32, 8, 128, 14_336, 128_256, 131_072]],
    ['mistral-7b-v0.3', 7.25, 7.25, [32, 4096, 32, 8, 128, 14_336, 32_768, 32_768]],
    ['qwen2.5-72b-instruct', 72.7, 72.7, [80, 8192, 64, 8, 128, 29_568, 152_064, 32_768]],
    ['qwen3-8b', 8.2, 8.2, [36, 4096, 32, 8, 128, 12_288, 151_936, 40_960]],
    ['mixtral-8x7b-v0.1', 46.7, 12.9, [32, 4096, 32, 8, 128, 14_336, 32_000, 32_768]],
    ['qwen1.5-moe-a2.7b', 14.3, 2.7, [24, 2048, 16, 16, 128, 5632, 151_936, 8192]],
    ['qwen3-30b-a3b', 30.5, 3.3, [48, 2048, 32, 4, 128, 6144, 151_936, 40_960]],
    ['deepseek-v3', 671, 37, [61, 7168, 128, 128, 192, 18_432, 129_280, 163_840]],
  ])('%s: figures, %f B parameters, %f B active', (name, totalB, activeB, figures) => {
    const model = parse(name);
    expect([
      model.layers,
      model.hiddenSize,
      model.attentionHeads,
      model.kvHeads,
      model.headDim,
      model.intermediateSize,
      model.vocabSize,
      model.maxContextTokens,
    ]).toEqual(figures);
    expect(Math.abs(model.paramsB / totalB - 1)).toBeLessThan(0.02);
    expect(Math.abs(model.activeParamsB / activeB - 1)).toBeLessThan(0.02);
    expect(model.activeParamsB === model.paramsB).toBe(model.moe === undefined);
    expect(model.name).toBe(name);
  });

  it('DeepSeek-V2-Lite (queries without compression) counts 15.7 B and caches a 576-wide latent', () => {
    const model = parse('deepseek-v2-lite');
    expect(Math.abs(model.paramsB / 15.7 - 1)).toBeLessThan(0.02);
    // The model card's 2.4 B active excludes the input embedding (0.21 B) that this count includes.
    expect(Math.abs((model.activeParamsB - 0.21) / 2.4 - 1)).toBeLessThan(0.05);
    expect(model.moe).toMatchObject({ numExperts: 64, expertsPerToken: 6 });
    expect(model.kvLatentDim).toBe(512 + 64);
  });

  it('MoE figures: experts, routed parameters', () => {
    expect(parse('mixtral-8x7b-v0.1').moe).toEqual({
      numExperts: 8,
      expertsPerToken: 2,
      expertParamsB: 45.097,
    });
    expect(parse('qwen3-30b-a3b').moe).toMatchObject({ numExperts: 128, expertsPerToken: 8 });
    expect(parse('deepseek-v3').moe).toMatchObject({ numExperts: 256, expertsPerToken: 8 });
  });

  it('matches the hand-written catalogue entries it overlaps', () => {
    for (const [fixtureName, catalogueName] of [
      ['llama-3.1-8b-instruct', 'llama-3.1-8b'],
      ['qwen2.5-72b-instruct', 'qwen2.5-72b'],
      ['mixtral-8x7b-v0.1', 'mixtral-8x7b'],
    ] as const) {
      const parsed = parse(fixtureName);
      const entry = findModel(catalogueName);
      if (!entry) throw new Error(`no catalogue entry ${catalogueName}`);
      expect([parsed.layers, parsed.kvHeads, parsed.headDim, parsed.intermediateSize]).toEqual([
        entry.layers,
        entry.kvHeads,
        entry.headDim,
        entry.intermediateSize,
      ]);
      expect(parsed.paramsB).toBeCloseTo(entry.paramsB, 1);
      expect(parsed.activeParamsB).toBeCloseTo(entry.activeParamsB, 1);
    }
  });

  it.each([
    ['llama-3.1-8b-instruct', 'bf16'],
    ['llama-3.1-8b-instruct-fp8', 'fp8'],
    ['qwen2.5-7b-instruct-awq', 'int4'],
    ['deepseek-v3', 'fp8'],
  ])('%s declares %s weights, the simulator default for it', (name, format) => {
    const model = parse(name);
    expect(model.weightFormat).toBe(format);
    expect(resolveSimConfig({ model, gpu: 'h100' }).weightFormat).toBe(format);
    expect(resolveSimConfig({ model, gpu: 'h100', weightFormat: 'bf16' }).weightFormat).toBe('bf16');
  });

  it.each([
    [{ quant_method: 'gptq', bits: 4, group_size: 128 }, 'int4'],
    [{ quant_method: 'gptq', bits: 8 }, 'int8'],
    [{ quant_method: 'fbgemm_fp8' }, 'fp8'],
    [{ quant_method: 'bitsandbytes', load_in_4bit: true }, 'int4'],
    [
      { quant_method: 'compressed-tensors', config_groups: { g: { weights: { num_bits: 4, type: 'int' } } } },
      'int4',
    ],
    [
      { quant_method: 'compressed-tensors', config_groups: { g: { weights: { num_bits: 8, type: 'int' } } } },
      'int8',
    ],
  ])('quantization_config %j is %s', (quantization_config, format) => {
    const json = { ...fixture('llama-3.1-8b-instruct'), quantization_config };
    expect(modelFromConfigJson(json, 'q').weightFormat).toBe(format);
  });

  it('MLA caches far less KV per token than the same heads with full K and V would', () => {
    const model = parse('deepseek-v3');
    const config = resolveSimConfig({ model, gpu: 'h200', tensorParallel: 8, maxModelLen: 8192 });
    const plan = planMemory(config);
    // 61 layers x 576 elements x 2 bytes, whole on every rank.
    expect(plan.kvBytesPerTokenPerGpu).toBe(61 * 576 * 2);
    // fp8 weights: 671 GB over 8 GPUs, about 78 GiB each.
    expect(plan.weightBytesPerGpu / 1024 ** 3).toBeGreaterThan(75);
    expect(plan.weightBytesPerGpu / 1024 ** 3).toBeLessThan(80);
    expect(plan.kvCapacityTokens).toBeGreaterThan(100_000);
  });

  it.each([
    [{ model_type: 'gpt2' }, 'model_type', /not a supported architecture.*"gpt2"/],
    [{ model_type: undefined }, 'model_type', /model_type is missing/],
    [{ hidden_size: undefined }, 'hidden_size', /hidden_size is missing/],
    [{ num_key_value_heads: 5 }, 'num_key_value_heads', /must divide num_attention_heads \(32\)/],
    [{ vocab_size: '128256' }, 'vocab_size', /must be an integer/],
    [{ quantization_config: { quant_method: 'hqq' } }, 'quantization_config.quant_method', /"hqq"/],
    [{ quantization_config: { quant_method: 'awq', bits: 3 } }, 'quantization_config.bits', /4 or 8 bits/],
    [{ torch_dtype: 'float8_e4m3fn' }, 'torch_dtype', /float8_e4m3fn/],
  ])('%j is a ModelConfigError naming the file and %s', (patch, field, message) => {
    const json = { ...fixture('llama-3.1-8b-instruct'), ...patch };
    const error = (() => {
      try {
        modelFromConfigJson(json, 'x', { file: 'models/x/config.json' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ModelConfigError);
    expect((error as ModelConfigError).field).toBe(field);
    expect((error as ModelConfigError).code).toBe('ERR_MODEL_CONFIG');
    expect((error as Error).message).toMatch(/^Model config models\/x\/config\.json: field /);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a config that is not an object', () => {
    expect(() => modelFromConfigJson([1], 'x')).toThrow(/Model config x: is not a JSON object/);
  });
});
