import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getRuntime, type RuntimeAdapter, study } from '../../src/index.js';
import { InProcessController } from '../support/in-process-controller.js';
import { scratchDir } from '../support/scratch-dir.js';

// An engine the library does not bundle: vLLM's flags under another name and command.
const stubEngine: RuntimeAdapter = {
  ...getRuntime('vllm'),
  name: 'stub-engine',
  command: 'stub-engine',
  traits: { devices: 'gpu', analyticModel: false, models: 'any' },
};

const dir = scratchDir('study-plugins-');

const options = (name: string) => ({
  name,
  runtime: 'stub-engine',
  model: 'llama-3.1-8b',
  gpus: [0, 1, 2, 3].map((index) => ({ index, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81_559 })),
  fixedParams: { 'max-model-len': 4096 },
  space: { 'max-num-seqs': [32, 64, 128], 'tensor-parallel-size': [1, 2] },
  workload: { kind: 'synthetic' as const, inputTokens: 128, outputTokens: 32 },
  load: { kind: 'concurrency' as const, levels: [16] },
  benchmark: { requests: 24, warmupRequests: 2 },
  budget: { maxTrials: 4 },
  confirm: { top: 0, repeats: 0 },
  strategy: 'grid' as const,
  journal: join(dir(), `${name}.jsonl`),
});

describe('a study with an engine and a controller from outside the library', () => {
  it('leases pool GPUs to a pool controller, runs trials in parallel and records the plug-ins by name', async () => {
    const controller = new InProcessController({ target: 'process', gpuPlacement: 'pool', export: 'argv' });
    const result = await study(options('plugins-pool'), { controller, runtimes: [stubEngine] }).result;

    expect(result.trials.filter((t) => t.phase === 'search')).toHaveLength(4);
    expect(result.trials.every((t) => t.state === 'complete')).toBe(true);
    expect(result.best).toBeDefined();
    for (const trial of result.trials) {
      expect(trial.manifest?.runtime).toBe('stub-engine');
      expect(trial.manifest?.controller).toBe('in-process');
      expect(trial.gpuIndices).toHaveLength(trial.worldSize);
    }
    // Each launch got exactly its world size of leased GPUs, and CUDA_VISIBLE_DEVICES for a process target.
    for (const spec of controller.launches) {
      expect(spec.runtime).toBe('stub-engine');
      expect(spec.command).toBe('stub-engine');
      const tp = Number(spec.args[spec.args.indexOf('--tensor-parallel-size') + 1] ?? 1);
      expect(spec.gpus).toHaveLength(spec.args.includes('--tensor-parallel-size') ? tp : 1);
      expect(spec.env['CUDA_VISIBLE_DEVICES']?.split(',')).toHaveLength(spec.gpus.length);
    }
    // Four GPUs: trials of one or two GPUs ran side by side.
    expect(controller.maxRunning).toBeGreaterThan(1);
    expect(controller.running).toBe(0);
    // The deployable command is the engine's own command with the winner's flags (the fixed ones always).
    expect(result.best?.exports.argv).toMatch(
      /^CUDA_VISIBLE_DEVICES=[\d,]+ stub-engine serve llama-3\.1-8b --max-model-len 4096/,
    );
  });

  it('hands no pool GPUs to a controller that places them itself, one trial at a time by default', async () => {
    const controller = new InProcessController({
      target: 'container',
      gpuPlacement: 'cluster',
      export: 'kubernetes',
    });
    const lines: { level: string; message: string }[] = [];
    const at = (level: string) => (_fields: object, message: string) => lines.push({ level, message });
    const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), child: () => logger } as never;
    const result = await study(options('plugins-cluster'), { controller, runtimes: [stubEngine], logger })
      .result;

    // Without leased GPUs the simulated engine has one device: two-GPU layouts fail to start, one-GPU ones run.
    const completed = result.trials.filter((t) => t.state === 'complete');
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.every((t) => t.params['tensor-parallel-size'] !== 2)).toBe(true);
    expect(controller.maxRunning).toBe(1);
    for (const spec of controller.launches) {
      expect(spec.gpus).toEqual([]);
      expect(spec.env['CUDA_VISIBLE_DEVICES']).toBeUndefined();
      // A container target gets the image and the container entrypoint.
      expect(spec.image).toBeDefined();
      expect(spec.entrypoint).toEqual(['vllm', 'serve']);
    }
    for (const trial of result.trials) expect(trial.manifest?.image).toBe(controller.launches[0]?.image);
    // The study's logger: start, each finished trial and end at info, each failed trial at warn with its reason,
    // the rest at debug.
    const failed = result.trials.filter((t) => t.state !== 'complete' && t.state !== 'pruned');
    const finished = result.trials.filter((t) => t.state === 'complete' || t.state === 'pruned');
    const infos = lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(infos).toEqual([
      // A GPU engine in vLLM's flavour whose model has no config.json here: said once, before anything runs.
      expect.stringMatching(/^the study runs without the model because /),
      expect.stringMatching(/^study plugins-cluster started: up to 4 search trials, journal /),
      ...finished.map((t) => expect.stringMatching(new RegExp(`^trial ${t.number} \\(${t.phase}\\) `))),
      expect.stringMatching(/^study finished \(.+\) after \d+ trials/),
    ]);
    // (The benchmark's own warnings, e.g. a client that could not keep up, come through the same logger.)
    const trialWarnings = lines.filter((l) => l.level === 'warn' && l.message.startsWith('trial '));
    expect(trialWarnings.map((l) => l.message)).toEqual(
      failed.map((t) => expect.stringMatching(new RegExp(`^trial ${t.number} ${t.state} \\([a-z-]+\\): `))),
    );
    expect(lines.filter((l) => l.level === 'debug').length).toBeGreaterThan(0);
  });

  it('refuses a runtime name that neither the library nor the caller provides', () => {
    expect(() => study({ ...options('plugins-unknown'), runtime: 'nobody' })).toThrow(
      /runtime: got "nobody", expected one of vllm, sglang, llamacpp, sim/,
    );
  });
});
