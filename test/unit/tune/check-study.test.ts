// checkStudy: what passes, what is exempt from which check, and that the plan, tune() and study() agree with it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeGpus } from '../../../src/gpu/probe-gpus.js';
import { checkStudy } from '../../../src/tune/check-study.js';
import { describePlan } from '../../../src/tune/describe-plan.js';
import { OptionsError } from '../../../src/tune/options-error.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';
import { study, tune } from '../../../src/tune/study.js';
import { scratchDir } from '../../support/scratch-dir.js';

const base = { model: 'llama-3.1-8b' };
const processPool = { traits: { target: 'process', gpuPlacement: 'pool', export: 'argv' } as const };
const hostHasGpus = (await probeGpus()).gpus.length > 0;
const dir = scratchDir('check-study-');

async function problemPaths(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OptionsError);
  return (error as OptionsError).problems.map((p) => p.path);
}

describe('checkStudy', () => {
  it('passes a sound simulated study, with its virtual GPUs, and the plan names them', async () => {
    const checked = await checkStudy({ ...base, space: { 'max-num-seqs': [16, 32] } });
    expect(checked.gpus.source).toBe('virtual');
    expect(checked.gpus.gpus).toHaveLength(8);
    expect(describePlan(checked).text).toContain('GPUs 8 (virtual)');
    expect(describePlan(checked).data['gpus']).toEqual({ count: 8, source: 'virtual' });
  });

  it('returns a checked study unchanged, and tune() takes it as it is', async () => {
    const checked = await checkStudy({
      ...base,
      journal: join(dir(), 'checked.jsonl'),
      budget: { maxTrials: 1 },
      baseline: false,
      confirm: { top: 0, repeats: 0 },
    });
    expect(await checkStudy(checked)).toBe(checked);
    const result = await tune(checked, { mode: 'estimate' });
    expect(result.trials).toHaveLength(1);
  });

  it('reads an existing dataset file', async () => {
    const path = join(dir(), 'prompts.jsonl');
    await writeFile(path, '{"prompt":"hello there"}\n');
    const checked = await checkStudy({ ...base, workload: { kind: 'jsonl', path } });
    expect(checked.options.workload).toMatchObject({ kind: 'jsonl', path });
  });

  it('leaves the flags the user fixed out of the default space', () => {
    const names = (options: object) =>
      resolveOptions({ ...base, ...options }).space.params.map((p) => p.name);
    expect(names({})).toContain('max-num-seqs');
    const fixed = names({ fixedParams: { max_num_seqs: 64 } });
    expect(fixed).not.toContain('max-num-seqs');
    expect(fixed).toContain('gpu-memory-utilization');
    expect(names({ presets: ['tp2'] })).toContain('max-num-seqs');
  });

  it('lets raw arguments the registry does not know through (they reach flags it lacks)', async () => {
    const checked = await checkStudy({ ...base, extraArgs: ['--some-newer-flag', '3'] });
    expect(checked.options.extraArgs).toEqual(['--some-newer-flag', '3']);
  });

  it("leaves a caller's own controller its executables", async () => {
    const options = { runtime: 'llamacpp', model: '/models/m.gguf', binary: 'no-such-llama-server' };
    expect(await problemPaths(checkStudy(options))).toEqual(['binary']);
    await expect(checkStudy(options, { controller: processPool })).resolves.toBeDefined();
  });

  it("checks no GPU need when a caller's evaluator measures instead of launching", async () => {
    const options = {
      runtime: 'vllm',
      model: 'm',
      gpus: 'none' as const,
      controller: { kind: 'docker' as const },
    };
    expect(await problemPaths(checkStudy(options))).toEqual(['gpus']);
    const evaluator = { plan: () => ({ worldSize: 1, problems: [] }), evaluate: async () => ({}) };
    await expect(checkStudy(options, { evaluator })).resolves.toBeDefined();
  });

  it('leaves GPUs to a cluster controller', async () => {
    const options = {
      runtime: 'sglang',
      model: 'm',
      gpus: 'none' as const,
      fixedParams: { 'tp-size': 8 },
      controller: { kind: 'kubernetes' as const },
    };
    await expect(checkStudy(options)).resolves.toBeDefined();
  });

  it('asks an analytic model and synthetic prompts of an estimate', async () => {
    const paths = await problemPaths(
      checkStudy(
        {
          ...base,
          workload: {
            kind: 'shared-prefix',
            prefixes: 2,
            suffixesPerPrefix: 2,
            prefixTokens: 8,
            suffixTokens: 8,
            outputTokens: 8,
          },
        },
        { mode: 'estimate' },
      ),
    );
    expect(paths).toEqual(['workload.kind']);
  });

  it.skipIf(hostHasGpus)(
    'study() starts, then rejects with the GPU problem of a probed host before anything launches',
    async () => {
      const options = {
        runtime: 'vllm',
        model: 'm',
        controller: { kind: 'docker' as const },
        journal: join(dir(), 'no-gpu.jsonl'),
      };
      const running = study(options);
      expect(await problemPaths(running.result)).toEqual(['gpus']);
      expect(running.events).toEqual([]);
      expect(await problemPaths(checkStudy(options))).toEqual(['gpus']);
    },
  );

  it('throws the problems that need no probe synchronously from study()', () => {
    expect(() => study({ ...base, fixedParams: { 'gpu-memory-utilization': 1.5 } })).toThrow(
      /fixedParams\.gpu-memory-utilization: got 1\.5/,
    );
  });

  it('says what a misspelt or misplaced option name was probably meant to be', async () => {
    const error = await checkStudy({
      ...base,
      budgett: { maxTrials: 3 },
      sim: { gpu: 'a100-40gb', numGPUs: 2 },
      controller: { kind: 'docker', image: 'vllm/vllm-openai:v0.22.0' },
      zzz: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OptionsError);
    const expected = Object.fromEntries((error as OptionsError).problems.map((p) => [p.path, p.expected]));
    expect(expected).toMatchObject({
      budgett: 'no such option (unknown key); did you mean `budget`?',
      'sim.numGPUs': 'no such option (unknown key); did you mean `numGpus`?',
      'controller.image': 'no such option (unknown key); `image` is a top-level option',
      zzz: 'no such option (unknown key)',
    });
  });

  it('judges the host by the kind of a controller refused for another of its options', async () => {
    // A Docker study: the engine's executable on this host's PATH is not asked for, however the rest reads.
    const paths = await problemPaths(
      checkStudy({ ...base, runtime: 'vllm', controller: { kind: 'docker', imag: 'x' }, gpus: [] }),
    );
    expect(paths).toContain('controller.imag');
    expect(paths).not.toContain('runtime');
  });
});
