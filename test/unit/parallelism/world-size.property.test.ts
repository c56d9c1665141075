import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeParallelism } from '../../../src/parallelism/parallel-config.js';
import { validateParallelism } from '../../../src/parallelism/validate-parallelism.js';
import { worldSize } from '../../../src/parallelism/world-size.js';

const size = fc.constantFrom(1, 2, 4, 8);
const divisorsOf = (n: number): number[] => [1, 2, 4, 8].filter((d) => n % d === 0);

const TP_SPELLINGS = [
  'tp',
  'tp-size',
  'tp_size',
  '--tp',
  '-tp',
  'tensor-parallel-size',
  '--tensor_parallel_size',
];
const DP_SPELLINGS = ['dp', 'dp-size', '--data-parallel-size', 'data_parallel_size', '-dp'];

describe('world size properties', () => {
  it('every spelling of a layout normalises to the same shape', () => {
    fc.assert(
      fc.property(
        size,
        size,
        fc.constantFrom(...TP_SPELLINGS),
        fc.constantFrom(...DP_SPELLINGS),
        (tp, dp, tpKey, dpKey) => {
          const spelled = normalizeParallelism({ [tpKey]: tp, [dpKey]: String(dp) });
          const plain = normalizeParallelism({ tp, dp });
          expect({ ...spelled, spellings: {} }).toEqual({ ...plain, spellings: {} });
        },
      ),
    );
  });

  it('vLLM: a dcp dividing tp never changes the world size', () => {
    fc.assert(
      fc.property(size, size, size, (tp, pp, dp) => {
        const base = worldSize({ tp, pp, dp }, 'vllm');
        for (const dcp of divisorsOf(tp)) {
          expect(worldSize({ tp, pp, dp, dcp }, 'vllm')).toBe(base);
          expect(validateParallelism({ tp, pp, dp, dcp }, 'vllm')).toEqual([]);
        }
        expect(base).toBe(tp * pp * dp);
      }),
    );
  });

  it('SGLang: under dp-attention the world size does not depend on dp; without it dp multiplies', () => {
    fc.assert(
      fc.property(size, size, (tp, pp) => {
        for (const dp of divisorsOf(tp)) {
          const params = { tp, pp, dp, 'enable-dp-attention': true };
          expect(worldSize(params, 'sglang')).toBe(tp * pp);
          expect(validateParallelism(params, 'sglang')).toEqual([]);
          expect(worldSize({ tp, pp, dp }, 'sglang')).toBe(tp * pp * dp);
        }
      }),
    );
  });

  it('the world size check agrees with worldSize', () => {
    fc.assert(
      fc.property(size, size, size, fc.integer({ min: 0, max: 64 }), (tp, pp, dp, gpus) => {
        const params = { tp, pp, dp };
        const tooBig = validateParallelism(params, 'vllm', { gpusAvailable: gpus }).some((p) =>
          /more GPUs/.test(p.message),
        );
        expect(tooBig).toBe(worldSize(params, 'vllm') > gpus);
      }),
    );
  });
});
