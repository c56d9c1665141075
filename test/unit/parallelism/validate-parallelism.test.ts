import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../../src/errors.js';
import {
  assertValidParallelism,
  type ParallelismContext,
  validateParallelism,
} from '../../../src/parallelism/validate-parallelism.js';
import type { RuntimeName } from '../../../src/runtimes/runtime-name.js';

type Case = [string, Record<string, unknown>, RuntimeName, ParallelismContext, RegExp[]];

describe('validateParallelism', () => {
  it.each<Case>([
    ['valid vLLM layout', { tp: 4, pp: 2 }, 'vllm', { numAttentionHeads: 32, gpusAvailable: 8 }, []],
    [
      'tp must divide the heads',
      { tp: 3 },
      'vllm',
      { numAttentionHeads: 32 },
      [/tp=3.*numAttentionHeads=32/],
    ],
    ['KV heads below tp are replicated', { tp: 8 }, 'vllm', { numAttentionHeads: 32, numKvHeads: 4 }, []],
    ['KV heads and tp must divide one another', { tp: 4 }, 'vllm', { numKvHeads: 6 }, [/numKvHeads=6/]],
    ['dcp must divide tp', { tp: 4, dcp: 3 }, 'vllm', {}, [/dcp=3, tp=4/]],
    ['dcp dividing tp is fine', { tp: 4, dcp: 2 }, 'vllm', { gpusAvailable: 4 }, []],
    [
      'world size over the GPUs',
      { tp: 4, dp: 2 },
      'vllm',
      { gpusAvailable: 4 },
      [/worldSize=8.*gpusAvailable=4/],
    ],
    ['dcp adds no GPUs', { tp: 4, dcp: 4 }, 'vllm', { gpusAvailable: 4 }, []],
    ['nnodes spreads the world', { tp: 8, nnodes: 2 }, 'vllm', { gpusAvailable: 4 }, []],
    ['nnodes must divide the world', { tp: 3, nnodes: 2 }, 'vllm', {}, [/nnodes=2.*worldSize=3/]],
    ['pp cannot exceed the layers', { pp: 8 }, 'vllm', { numLayers: 4 }, [/pp=8.*numLayers=4/]],
    [
      'vLLM EP size divides the experts',
      { tp: 4, '-ep': true },
      'vllm',
      { numExperts: 6 },
      [/ep=4.*numExperts=6/],
    ],
    ['vLLM EP size fine', { tp: 4, enable_expert_parallel: true }, 'vllm', { numExperts: 64 }, []],
    ['vLLM ep number must match tp*dp', { tp: 4, ep: 2 }, 'vllm', {}, [/ep=2, tp=4, dp=1, cp=1/]],
    [
      'SGLang dp-attention: dp must divide tp',
      { tp: 8, dp: 3, 'enable-dp-attention': true },
      'sglang',
      {},
      [/dp=3, tp=8/],
    ],
    [
      'SGLang dp-attention fits in tp GPUs',
      { tp: 8, dp: 8, 'enable-dp-attention': true },
      'sglang',
      { gpusAvailable: 8 },
      [],
    ],
    [
      'SGLang dp without dp-attention multiplies',
      { tp: 8, dp: 2 },
      'sglang',
      { gpusAvailable: 8 },
      [/worldSize=16/],
    ],
    ['SGLang ep must divide tp', { tp: 8, 'ep-size': 3 }, 'sglang', {}, [/ep-size=3, tp=8/]],
    [
      'SGLang ep must divide experts',
      { tp: 8, 'ep-size': 8 },
      'sglang',
      { numExperts: 12 },
      [/numExperts=12/],
    ],
    [
      'SGLang attention cp must divide the attention TP',
      { tp: 4, 'attn-cp-size': 3 },
      'sglang',
      {},
      [/attn-cp-size=3/],
    ],
    ['positive integers only', { tp: 0, pp: 1.5, dp: -1 }, 'vllm', {}, [/tp.*0/, /pp.*1.5/, /dp.*-1/]],
    ['conflicting spellings', { tp: 2, tp_size: 4 }, 'sglang', {}, [/Conflicting values for tp/]],
    ['llama.cpp ignores tp and heads', { tp: 3, ngl: 99 }, 'llamacpp', { numAttentionHeads: 32 }, []],
    ['llama.cpp on CPU needs no GPU', { ngl: 0 }, 'llamacpp', { gpusAvailable: 0 }, []],
    [
      'llama.cpp device list over the GPUs',
      { device: 'CUDA0,CUDA1' },
      'llamacpp',
      { gpusAvailable: 1 },
      [/worldSize=2/],
    ],
    ['llama.cpp tensor split needs a positive proportion', { ts: '0,0' }, 'llamacpp', {}, [/tensor-split/]],
    [
      'sim imitates SGLang rules',
      { engine: 'sglang', tp: 4, dp: 3, 'enable-dp-attention': true },
      'sim',
      {},
      [/dp=3/],
    ],
    [
      'several problems at once',
      { tp: 3, dcp: 2 },
      'vllm',
      { numAttentionHeads: 32, gpusAvailable: 2 },
      [/numAttentionHeads/, /dcp=2, tp=3/, /gpusAvailable=2/],
    ],
  ])('%s', (_name, params, runtime, context, expected) => {
    const problems = validateParallelism(params, runtime, context);
    expect(problems.map((p) => p.message)).toHaveLength(expected.length);
    expected.forEach((pattern, i) => {
      expect(problems[i]).toBeInstanceOf(InvalidParameterError);
      expect(problems[i]?.message).toMatch(pattern);
    });
  });

  it('names the parameters in the spelling the user gave', () => {
    const [first] = validateParallelism({ '--tensor-parallel-size': 3 }, 'vllm', { numAttentionHeads: 32 });
    expect(first?.parameters).toEqual({ '--tensor-parallel-size': 3, numAttentionHeads: 32 });
  });
});

describe('assertValidParallelism', () => {
  it('passes a valid layout', () => {
    expect(() => assertValidParallelism({ tp: 2 }, 'vllm', { gpusAvailable: 2 })).not.toThrow();
  });

  it('throws a single problem as is', () => {
    expect(() => assertValidParallelism({ tp: 4, dcp: 3 }, 'vllm')).toThrow(/dcp must divide tp/);
  });

  it('throws one error listing every problem', () => {
    let caught: unknown;
    try {
      assertValidParallelism({ tp: 3, dcp: 2 }, 'vllm', { numAttentionHeads: 32, gpusAvailable: 2 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidParameterError);
    const error = caught as InvalidParameterError;
    expect(error.code).toBe('ERR_INVALID_PARAMETER');
    expect(error.message).toMatch(/heads.*dcp must divide tp.*more GPUs/);
    expect(error.parameters).toMatchObject({ tp: 3, dcp: 2, numAttentionHeads: 32, gpusAvailable: 2 });
    expect((error.cause as AggregateError).errors).toHaveLength(3);
  });
});
