import { describe, expect, it } from 'vitest';
import { buildCliArgs } from '../../../src/runtimes/cli-args.js';
import { ENGINE_CONCEPTS } from '../../../src/runtimes/engine-concepts.js';
import { PARALLEL_FLAGS } from '../../../src/runtimes/parallel-flags.js';
import { loadRegistry } from '../../../src/runtimes/registry.js';
import type { EngineFlavor, RuntimeName } from '../../../src/runtimes/runtime-name.js';
import { getRuntime } from '../../../src/runtimes/runtimes.js';
import { validateParams } from '../../../src/runtimes/validate-params.js';
import { expandGrid } from '../../../src/search/grid.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import { estimate } from '../../../src/sim/estimate.js';
import { parseSimArgs, type SimCommandLine } from '../../../src/sim/sim-args.js';

const runtimes: RuntimeName[] = ['vllm', 'sglang', 'llamacpp', 'sim'];

describe('default search spaces', () => {
  it.each(runtimes)('%s: every knob is a valid flag at both ends of its range', (runtime) => {
    const space = getRuntime(runtime).defaultSearchSpace();
    expect(Object.keys(space).length).toBeGreaterThanOrEqual(4);
    for (const [name, entry] of Object.entries(space)) {
      const values = 'values' in entry ? entry.values : [entry.low, entry.high];
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) {
        const result = validateParams({ [name]: value }, runtime);
        expect(result.problems, `${name}=${String(value)}`).toEqual([]);
        expect(buildCliArgs({ [name]: value }, runtime).length).toBeGreaterThan(0);
      }
    }
  });

  it.each([
    [
      'vllm',
      [
        'max-num-seqs',
        'max-num-batched-tokens',
        'gpu-memory-utilization',
        'enable-chunked-prefill',
        'enable-prefix-caching',
      ],
    ],
    ['sglang', ['max-running-requests', 'chunked-prefill-size', 'mem-fraction-static', 'schedule-policy']],
    ['llamacpp', ['parallel', 'threads', 'batch-size', 'ubatch-size', 'ctx-size']],
  ] as const)('%s tunes the knobs that matter', (runtime, knobs) => {
    expect(Object.keys(getRuntime(runtime).defaultSearchSpace()).sort()).toEqual([...knobs].sort());
  });

  it('llama.cpp thread counts never exceed the CPUs', () => {
    const space = getRuntime('llamacpp', { cpuCount: 4 }).defaultSearchSpace();
    expect(space['threads']).toEqual({ values: [1, 2, 4] });
  });

  it('returns a copy the caller may edit', () => {
    const a = getRuntime('vllm').defaultSearchSpace();
    delete a['max-num-seqs'];
    expect(getRuntime('vllm').defaultSearchSpace()['max-num-seqs']).toBeDefined();
  });
});

describe('engine concept and parallel tables name real flags', () => {
  it.each(['vllm', 'sglang', 'llamacpp'] as const)('%s', (engine: EngineFlavor) => {
    const registry = loadRegistry(engine);
    for (const flags of Object.values(ENGINE_CONCEPTS)) {
      const flag = flags[engine]?.flag;
      if (flag) expect(registry.bySpelling.get(flag)?.name, flag).toBe(flag);
    }
    for (const flags of Object.values(PARALLEL_FLAGS)) {
      const flag = flags[engine];
      if (flag) expect(registry.bySpelling.get(flag)?.name, flag).toBe(flag);
    }
  });
});

describe('default spaces in the search format', () => {
  it.each(['vllm', 'sglang', 'llamacpp'] as const)(
    '%s: every grid point is a valid configuration',
    (runtime) => {
      const space = normalizeSpace(getRuntime(runtime, { cpuCount: 4 }).defaultSearchSpace());
      let points = 0;
      for (const params of expandGrid(space)) {
        points++;
        if (points % 7 !== 0) continue; // a spread sample keeps the test fast
        expect(validateParams(params, runtime).ok, JSON.stringify(params)).toBe(true);
      }
      expect(points).toBeGreaterThan(20);
    },
  );
});

describe('the vLLM default space starts the engine', () => {
  it('tunes tokens per step only with chunked prefill on', () => {
    const space = getRuntime('vllm').defaultSearchSpace();
    expect(space['max-num-batched-tokens']?.when).toEqual({ 'enable-chunked-prefill': [true] });
  });

  it('no grid point is refused at start-up for a 128k-context model (the simulated vLLM checks as vLLM does)', () => {
    const space = normalizeSpace(getRuntime('vllm').defaultSearchSpace());
    let points = 0;
    for (const params of expandGrid(space)) {
      points++;
      const argv = ['--engine', 'vllm', '--model', 'llama-3.1-8b', '--gpu', 'h100'];
      argv.push(...buildCliArgs(params, 'sim'));
      const parsed = parseSimArgs(argv);
      expect('message' in parsed ? parsed.message : undefined, JSON.stringify(params)).toBeUndefined();
      const result = estimate((parsed as SimCommandLine).config, {
        promptTokens: 512,
        outputTokens: 128,
        concurrency: 16,
      });
      const kind = result.ok ? undefined : result.failure.kind;
      expect(kind === 'invalid-config' ? result : undefined, JSON.stringify(params)).toBeUndefined();
    }
    expect(points).toBeGreaterThan(20);
  });
});
