// Screening in a real study: the simulated engine poses as vLLM serving a model known only by its config.json on
// two L4 GPUs, with a hidden truth the analytic model does not know (slower compute and memory, extra per-step
// overhead, a larger memory reserve, its own noise). The same grid study runs with screening and without it:
// screening launches none of the configurations that fail to start, screens none that would have run, and the
// report sets the model's predictions beside the measurements.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import type { TuneResult } from '../../src/tune/result.js';
import { tune } from '../../src/tune/study.js';
import type { TrialRecord } from '../../src/tune/trial-record.js';
import { ensureBuilt } from './support/built-cli.js';

const root = resolve(import.meta.dirname, '../..');
const modelFolder = join(root, 'test/fixtures/models/llama-3.1-8b-instruct');
let dir: string;
let engine: string;

// The "vLLM" executable: inference-sim in vLLM's flavour with the hidden deviations.
const wrapper = (): string => `#!/bin/sh
exec "${process.execPath}" "${join(root, 'dist/cli/inference-sim.js')}" --engine vllm --model-config "${modelFolder}" \\
  --gpu l4 --load-time-scale 0.02 --noise-cv 0.08 \\
  --deviate-compute 0.8 --deviate-bandwidth 0.85 --deviate-step-ms 0.3 --deviate-reserve-gib 0.8 "$@"
`;

const options = (name: string, screening: boolean): TuneOptionsInput => ({
  name,
  runtime: 'vllm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  modelPath: modelFolder,
  binary: engine,
  gpus: [
    { index: 0, name: 'NVIDIA L4', memoryTotalMiB: 23034 },
    { index: 1, name: 'NVIDIA L4', memoryTotalMiB: 23034 },
  ],
  maxParallelTrials: 1,
  space: {
    'tensor-parallel-size': [1, 2],
    'gpu-memory-utilization': [0.6, 0.9],
    'max-model-len': [8192, 65536],
  },
  fixedParams: { 'max-num-seqs': 32 },
  strategy: 'grid',
  budget: { maxTrials: 8 },
  workload: { kind: 'synthetic', inputTokens: 128, outputTokens: 12 },
  load: { kind: 'concurrency', levels: [8] },
  benchmark: { requests: 16, warmupRequests: 1 },
  confirm: { top: 0, repeats: 0 },
  screening: { enabled: screening },
  outcomeStore: { dir: join(dir, 'outcomes') },
  controller: { kind: 'local', stateDir: join(dir, 'state') },
  journal: join(dir, `${name}.jsonl`),
  seed: 3,
});

const key = (t: TrialRecord) => JSON.stringify(t.params);
const startFailures = (r: TuneResult) =>
  r.trials.filter((t) => t.state === 'failed' && (t.failureReason === 'oom' || t.failureReason === 'crash'));

let on: TuneResult;
let off: TuneResult;
let again: TuneResult;
let warm: TuneResult;
let prior: TuneResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'study-screening-'));
  engine = join(dir, 'vllm');
  await ensureBuilt();
  await writeFile(engine, wrapper());
  await chmod(engine, 0o755);
  on = await tune(options('screen-on', true));
  off = await tune(options('screen-off', false));
  // Without screening again: the outcome store of the first two knows which launch lines failed to start.
  again = await tune(options('store-again', false));
  // Seeded from the screened study's journal, with no store: its best configuration is tried first.
  warm = await tune({
    ...options('warm', true),
    strategy: 'auto',
    budget: { maxTrials: 2 },
    baseline: false,
    outcomeStore: { enabled: false },
    warmStart: join(dir, 'screen-on.jsonl'),
  });
  // The Bayesian strategy with the model as its prior (the default): after the defaults, the prior's best.
  prior = await tune({
    ...options('prior', true),
    strategy: 'auto',
    budget: { maxTrials: 3 },
    baseline: false,
    outcomeStore: { enabled: false },
  });
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a vLLM study with screening', () => {
  it('launches none of the configurations that cannot start; without screening the same study does', () => {
    const screened = on.trials.filter((t) => t.screened !== undefined);
    expect(screened.length).toBeGreaterThanOrEqual(3);
    for (const t of screened) {
      expect(t).toMatchObject({ state: 'invalid', failureReason: 'screened', gpuIndices: [] });
      expect(t.metrics).toBeUndefined();
      expect(t.screened?.margin).toBe(0.1);
      expect(t.screened?.predicted?.weightBytesPerGpu).toBeGreaterThan(14 * 2 ** 30);
    }
    expect(startFailures(on)).toEqual([]);
    expect(startFailures(off).length).toBeGreaterThanOrEqual(screened.length);
    // Every screened configuration failed to start when launched: nothing that would have run was screened.
    const failedOff = new Set(startFailures(off).map(key));
    for (const t of screened) expect(failedOff.has(key(t))).toBe(true);
    // Screened configurations used none of the budget: every other one of the grid was measured.
    const search = on.trials.filter((t) => t.phase === 'search');
    expect(
      search.filter((t) => t.state === 'complete').length +
        screened.filter((t) => t.phase === 'search').length,
    ).toBe(8);
  });

  it('never reports a screened configuration as measured, and records predictions beside measurements', () => {
    const winner = on.trials.find((t) => t.number === on.best?.trial);
    expect(winner?.state).toBe('complete');
    expect(winner?.screened).toBeUndefined();
    const measured = on.trials.filter((t) => t.state === 'complete');
    expect(measured.length).toBeGreaterThanOrEqual(4);
    for (const t of measured) {
      expect(t.predicted?.outputTokensPerS).toBeGreaterThan(0);
      expect(t.metrics?.outputTokensPerS).toBeGreaterThan(0);
    }
    // The hidden truth is slower than the model: its predictions are biased, not equal.
    const ratios = measured.map(
      (t) => (t.metrics?.outputTokensPerS ?? 0) / (t.predicted?.outputTokensPerS ?? 1),
    );
    expect(ratios.some((r) => Math.abs(r - 1) > 0.02)).toBe(true);
  });

  it('does not launch again what failed to start in an earlier study of the same engine, model and GPU', () => {
    expect(startFailures(again)).toEqual([]);
    const known = again.trials.filter((t) => t.failureReason === 'known-failure');
    expect(new Set(known.map(key))).toEqual(new Set(startFailures(off).map(key)));
    for (const t of known) {
      expect(t.state).toBe('invalid');
      expect(t.failure?.message).toMatch(/not launched again: failed to start in screen-off .*\(oom\)/);
    }
  });

  it('tries the best configuration of a warm-start journal first', () => {
    const first = warm.trials.find((t) => t.phase === 'search');
    const best = on.trials.find((t) => t.number === on.best?.trial);
    expect(first?.origin?.kind).toBe('initial');
    expect(first?.params).toEqual(best?.params);
  });

  it("takes the model's predictions as the search's prior by default: the start is what it ranks best", () => {
    // vLLM's defaults (the model's whole 128k context) are outside this space, so the prior picks the first trial.
    const search = prior.trials.filter((t) => t.phase === 'search');
    expect(search).toHaveLength(3);
    expect(search[0]?.origin?.note).toBe('ranked best by the prior model under the SLO');
    // The best predicted throughput of the configurations the model predicts to start: both L4s, most memory.
    expect(search[0]?.params).toMatchObject({ 'tensor-parallel-size': 2, 'gpu-memory-utilization': 0.9 });
    // The prior ranks only configurations it predicts to start: nothing failed, nothing had to be screened.
    for (const t of search) expect(t.state).toBe('complete');
    expect(startFailures(prior)).toEqual([]);
  });

  it('shows the screened configurations and predicted vs measured figures in the report', async () => {
    const written = await writeReport(join(dir, 'screen-on.jsonl'), { out: join(dir, 'report.html') });
    const html = await readFile(written.path, 'utf8');
    expect(html).toContain('Analytic model vs measurements');
    expect(html).toContain('Screened before launch');
    expect(html).toContain('Predicted vs measured, by trial');
    expect(html).toMatch(
      /Winner #\d+: output tok\/s predicted [\d.,]+, calibrated [\d.,]+, measured [\d.,]+/,
    );
    expect(html).toMatch(/<td>output tok\/s<\/td><td>\d+<\/td><td>[\d.]+%<\/td><td>-?[\d.]+<\/td>/);
  });
});
