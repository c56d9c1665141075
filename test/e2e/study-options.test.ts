// Invalid study options: each gives one clear error naming the field; a canary secret never leaks.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { OptionsError } from '../../src/tune/options-error.js';
import { study, tune } from '../../src/tune/study.js';
import { createLogger } from '../../src/util/logger.js';
import { scratchDir } from '../support/scratch-dir.js';

const dir = scratchDir('study-options-');

const base = { model: 'llama-3.1-8b' };

describe('invalid study options', () => {
  it.each([
    ['missing model', {}, 'model'],
    ['unknown option', { ...base, modle: 'x' }, 'modle'],
    ['unknown runtime', { ...base, runtime: 'tgi' }, 'runtime'],
    ['sim options for a real engine', { ...base, runtime: 'vllm', sim: { gpu: 'h100' } }, 'sim'],
    ['an imitated engine for a real one', { ...base, runtime: 'vllm', engine: 'sglang' }, 'engine'],
    ['unknown simulated model', { model: 'gpt-5' }, 'model'],
    ['unknown simulated GPU', { ...base, sim: { gpu: 'voodoo-5' } }, 'sim.gpu'],
    ['time scale <= 0', { ...base, sim: { timeScale: 0 } }, 'sim.timeScale'],
    ['unknown controller', { ...base, controller: { kind: 'ssh' } }, 'controller.kind'],
    [
      'bad Kubernetes namespace',
      { ...base, controller: { kind: 'kubernetes', namespace: 'Bad_NS' } },
      'controller.namespace',
    ],
    ['unknown strategy', { ...base, strategy: 'tpe' }, 'strategy'],
    ['zero trials', { ...base, budget: { maxTrials: 0 } }, 'budget.maxTrials'],
    ['fractional trials', { ...base, budget: { maxTrials: 2.5 } }, 'budget.maxTrials'],
    [
      'unknown SLO metric',
      { ...base, slo: { terms: [{ metric: 'ttfb', stat: 'p99', maxMs: 100 }] } },
      'slo.terms[0].metric',
    ],
    [
      'unknown SLO statistic',
      { ...base, slo: { terms: [{ metric: 'ttft', stat: 'p42', maxMs: 100 }] } },
      'slo.terms[0].stat',
    ],
    [
      'negative SLO threshold',
      { ...base, slo: { terms: [{ metric: 'ttft', stat: 'p99', maxMs: -5 }] } },
      'slo.terms[0].maxMs',
    ],
    ['error rate above 1', { ...base, slo: { terms: [], maxErrorRate: 2 } }, 'slo.maxErrorRate'],
    ['unknown objective', { ...base, objective: 'maximize_fun' }, 'objective'],
    [
      'SGLang flag in a vLLM space',
      { ...base, space: { 'max-running-requests': [8, 16] } },
      'space.max-running-requests',
    ],
    [
      'range with low > high',
      { ...base, space: { 'max-num-seqs': { low: 64, high: 8 } } },
      'space.max-num-seqs.low',
    ],
    ['empty categorical', { ...base, space: { 'max-num-seqs': [] } }, 'space.max-num-seqs'],
    [
      'zero input tokens',
      { ...base, workload: { kind: 'synthetic', inputTokens: 0, outputTokens: 8 } },
      'workload.inputTokens',
    ],
    ['unknown workload kind', { ...base, workload: { kind: 'csv', path: 'x' } }, 'workload.kind'],
    ['empty concurrency levels', { ...base, load: { kind: 'concurrency', levels: [] } }, 'load.levels'],
    ['negative seed', { ...base, seed: -1 }, 'seed'],
    [
      'fixed flag unknown to the engine',
      { ...base, fixedParams: { 'max-nmu-seqs': 8 } },
      'fixedParams.max-nmu-seqs',
    ],
    ['unknown preset', { ...base, presets: ['fp9'] }, 'presets[0]'],
    ['bad static GPU entry', { ...base, gpus: [{ index: -1, memoryTotalMiB: 1000 }] }, 'gpus[0].index'],
  ])('%s', (_name, options, field) => {
    let error: unknown;
    try {
      study(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OptionsError);
    const problems = (error as OptionsError).problems;
    expect(problems.map((p) => p.path)).toContain(field);
    expect((error as Error).message).toContain(field);
    expect((error as OptionsError).code).toBe('ERR_INVALID_OPTION');
  });

  it('reports every problem at once', () => {
    try {
      study({ model: 'gpt-5', runtime: 'sim', budget: { maxTrials: 0 }, strategy: 'tpe' } as never);
      expect.unreachable();
    } catch (error) {
      expect((error as OptionsError).problems.map((p) => p.path).sort()).toEqual([
        'budget.maxTrials',
        'model',
        'strategy',
      ]);
    }
  });
});

describe('secrets', () => {
  it('a canary HF token appears in no log line, journal, report, export or error message', async () => {
    const canary = 'hf_CanaryCanaryCanary0123456789';
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger({ destination: sink, level: 'debug' }).info(
      { options: { hfToken: canary } },
      `token is ${canary}`,
    );
    const journal = join(dir(), 'canary.jsonl');
    const result = await tune(
      { ...base, hfToken: canary, env: { HF_TOKEN: canary }, budget: { maxTrials: 2 }, journal },
      { mode: 'estimate' },
    );
    const html = join(dir(), 'canary.html');
    await writeReport(journal, { out: html });
    const markdown = join(dir(), 'canary.md');
    await writeReport(journal, { out: markdown, format: 'markdown' });
    const texts = [
      lines.join(''),
      await readFile(journal, 'utf8'),
      await readFile(html, 'utf8'),
      await readFile(markdown, 'utf8'),
      JSON.stringify(result.best?.exports),
      JSON.stringify(result.trials),
    ];
    for (const text of texts) expect(text).not.toContain(canary);
    expect(lines.join('')).toContain('[REDACTED]');
    try {
      study({ ...base, hfToken: canary, runtime: 'nope' } as never);
    } catch (error) {
      expect((error as Error).message).not.toContain(canary);
    }
    expect((await readdir(dir())).length).toBeGreaterThan(0);
  });
});

describe('simulated engine options', () => {
  it('reach the engine: a start-up crash rate of 1 fails every launch, and the study goes on', async () => {
    const result = await tune({
      ...base,
      sim: { timeScale: 10, startupCrashRate: 1 },
      space: { 'max-num-seqs': [16, 32] },
      benchmark: { requests: 8, warmupRequests: 0 },
      budget: { maxTrials: 2 },
      confirm: { top: 0, repeats: 0 },
      controller: { kind: 'local', stateDir: join(dir(), 'state-crash') },
      journal: join(dir(), 'crash.jsonl'),
    });
    expect(result.trials).toHaveLength(3);
    for (const trial of result.trials) expect(trial.state).toBe('failed');
    expect(result.best).toBeUndefined();
  }, 120_000);
});
