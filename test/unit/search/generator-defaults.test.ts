import { describe, expect, it } from 'vitest';
import { generateProblems } from '../../../bench/search/generator.js';
import { engineDefault, placeDefault } from '../../../bench/search/generator-defaults.js';
import type { RangeSpec } from '../../../src/search/param-spec.js';
import { defaultParams } from '../../../src/search/space-checks.js';

const h100 = { flavour: 'vllm', model: 'llama-3.1-8b', gpu: 'h100', maxModelLen: 8192 } as const;

describe("generated problems' defaults", () => {
  it("are the registry's documented defaults, or the simulator's model of a default computed at start-up", () => {
    expect(engineDefault('tensor-parallel-size', h100)).toEqual({ value: 1, source: 'registry' });
    expect(engineDefault('gpu-memory-utilization', h100)).toEqual({ value: 0.92, source: 'registry' });
    expect(engineDefault('enforce-eager', h100)).toEqual({ value: false, source: 'registry' });
    // vLLM picks a wider batch and a larger token budget on GPUs of 70 GiB and more.
    expect(engineDefault('max-num-seqs', h100)).toEqual({ value: 1024, source: 'computed' });
    expect(engineDefault('max-num-seqs', { ...h100, gpu: 'a10g' }).value).toBe(256);
    expect(engineDefault('enable-prefix-caching', h100)).toEqual({ value: true, source: 'computed' });
    expect(engineDefault('schedule-policy', { ...h100, flavour: 'sglang' }).value).toBe('fcfs');
    expect(() => engineDefault('no-such-flag', h100)).toThrow(/no-such-flag/);
  });

  it('move to the nearest value of the drawn domain when the domain does not hold them', () => {
    expect(placeDefault({ values: [64, 128, 256] }, 1024)).toEqual({
      spec: { values: [64, 128, 256], default: 256 },
      moved: true,
    });
    expect(placeDefault({ low: 0.7, high: 0.95, step: 0.05 } as RangeSpec, 0.92).spec.default).toBe(0.9);
    expect(placeDefault({ type: 'bool' }, true)).toEqual({
      spec: { type: 'bool', default: true },
      moved: false,
    });
    expect(() => placeDefault({ values: ['auto', 'fp8'] }, 'int8')).toThrow(/int8/);
  });

  it('make the first trial of every generated problem the engine defaults', () => {
    for (const p of generateProblems(2000, 5)) {
      const first = defaultParams(p.space);
      expect(first, p.name).toBeDefined();
      for (const param of p.space.params) {
        if (first?.[param.name] === undefined) continue;
        if (/parallel-size|tp-size|dp-size/.test(param.name)) expect(first[param.name]).toBe(1);
        if (param.name === 'kv-cache-dtype') expect(first[param.name]).toBe('auto');
      }
    }
  });
});
