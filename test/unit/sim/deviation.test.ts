// An engine that departs from the analytic model's figures: slower compute and memory, per-step overhead and a
// larger memory reserve change what it serves and what fits, as the command-line flags say.
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../src/sim/estimate.js';
import { planMemory } from '../../../src/sim/memory-plan.js';
import { parseSimArgs } from '../../../src/sim/sim-args.js';
import { resolveSimConfig } from '../../../src/sim/sim-config.js';

const base = { model: 'llama-3.1-8b', gpu: 'l4', maxModelLen: 8192 } as const;
const workload = { promptTokens: 256, outputTokens: 64, concurrency: 16 };
const tokS = (deviation: Parameters<typeof resolveSimConfig>[0]['deviation'] = {}) => {
  const result = estimate(resolveSimConfig({ ...base, deviation }), workload);
  if (!result.ok) throw result.failure;
  return result.estimate.outputTokensPerS;
};

describe('deviation from the model', () => {
  it('defaults to none', () => {
    expect(resolveSimConfig(base).deviation).toEqual({ compute: 1, bandwidth: 1, stepMs: 0, reserveGiB: 0 });
  });

  it('slows the engine by its efficiency factors and step overhead', () => {
    const nominal = tokS();
    expect(tokS({ bandwidth: 0.5 })).toBeLessThan(nominal * 0.7);
    expect(tokS({ compute: 0.5 })).toBeLessThan(nominal);
    expect(tokS({ stepMs: 20 })).toBeLessThan(nominal * 0.9);
    expect(tokS({ bandwidth: 1.2 })).toBeGreaterThan(nominal);
  });

  it('takes its extra reserve out of the KV cache, until the configuration no longer starts', () => {
    const kv = (reserveGiB: number) => planMemory(resolveSimConfig({ ...base, deviation: { reserveGiB } }));
    expect(kv(0).kvBytesPerGpu - kv(2).kvBytesPerGpu).toBeCloseTo(2 * 2 ** 30, -3);
    const tight = estimate(resolveSimConfig({ ...base, deviation: { reserveGiB: 6 } }), workload);
    expect(tight.ok).toBe(false);
  });

  it('comes from the --deviate-* flags and rejects values out of range', () => {
    const line = parseSimArgs([
      '--engine',
      'vllm',
      '--deviate-compute',
      '0.8',
      '--deviate-bandwidth',
      '0.9',
      '--deviate-step-ms',
      '0.5',
      '--deviate-reserve-gib',
      '1.5',
    ]);
    if ('exitCode' in line) throw new Error(line.message);
    expect(resolveSimConfig(line.config).deviation).toEqual({
      compute: 0.8,
      bandwidth: 0.9,
      stepMs: 0.5,
      reserveGiB: 1.5,
    });
    expect(() => resolveSimConfig({ ...base, deviation: { compute: 0 } })).toThrow(/deviation\.compute/);
  });
});
