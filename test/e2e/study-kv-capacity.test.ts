// The KV capacity a started engine reports teaches screening the model's memory bias before anything fails: the
// simulated engine poses as vLLM on an L4 with 2 GiB more memory reserve than the analytic model knows. Its
// first configuration starts and reports (vllm:cache_config_info) a KV cache about 2 GiB per GPU smaller than
// predicted; the study journals that figure, and, resumed from its journal, screens a configuration the model
// predicts to fit with ~1 GiB to spare (inside screening's 10 % margin, so not screened before). Launched without
// screening, that configuration runs out of memory.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import type { TuneResult } from '../../src/tune/result.js';
import { tune } from '../../src/tune/study.js';
import { ensureBuilt } from './support/built-cli.js';

const root = resolve(import.meta.dirname, '../..');
const modelFolder = join(root, 'test/fixtures/models/llama-3.1-8b-instruct');
let dir: string;
let engine: string;

const wrapper = (): string => `#!/bin/sh
exec "${process.execPath}" "${join(root, 'dist/cli/inference-sim.js')}" --engine vllm --model-config "${modelFolder}" \\
  --gpu l4 --load-time-scale 0.02 --deviate-reserve-gib 2 "$@"
`;

const tight = { 'gpu-memory-utilization': 0.8, 'max-model-len': 16384 };
const first = { 'gpu-memory-utilization': 0.9, 'max-model-len': 8192 };

const options = (name: string, screening: boolean, maxTrials: number): TuneOptionsInput => ({
  name,
  runtime: 'vllm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  modelPath: modelFolder,
  binary: engine,
  gpus: [{ index: 0, name: 'NVIDIA L4', memoryTotalMiB: 23034 }],
  maxParallelTrials: 1,
  // The grid's first configuration starts; the tight one comes later.
  space: { 'gpu-memory-utilization': [0.9, 0.8], 'max-model-len': [8192, 16384] },
  fixedParams: { 'max-num-seqs': 16 },
  strategy: 'grid',
  baseline: false,
  budget: { maxTrials },
  workload: { kind: 'synthetic', inputTokens: 64, outputTokens: 8 },
  load: { kind: 'concurrency', levels: [4] },
  benchmark: { requests: 8, warmupRequests: 1 },
  confirm: { top: 0, repeats: 0 },
  screening: { enabled: screening },
  outcomeStore: { enabled: false },
  controller: { kind: 'local', stateDir: join(dir, 'state') },
  journal: join(dir, `${name}.jsonl`),
  seed: 5,
});

const sameParams = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Object.entries(b).every(([k, v]) => a[k] === v);

let once: TuneResult;
let resumed: TuneResult;
let off: TuneResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'study-kv-capacity-'));
  engine = join(dir, 'vllm');
  await ensureBuilt();
  await writeFile(engine, wrapper());
  await chmod(engine, 0o755);
  // One launch, then the same study resumed from its journal with the whole grid as budget.
  once = await tune(options('kv-on', true, 1));
  resumed = await tune(options('kv-on', true, 4), { resume: true });
  off = await tune(options('kv-off', false, 4));
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a vLLM study that reads the KV capacity of started engines', () => {
  it('records the capacity the started engine reported on the trial and in the journal', async () => {
    const [trial] = once.trials;
    expect(trial?.params).toMatchObject(first);
    expect(trial?.state).toBe('complete');
    expect(trial?.kvCapacityTokens).toBeGreaterThan(1000);
    // A whole number of 16-token blocks, as vLLM allocates.
    expect((trial?.kvCapacityTokens ?? 1) % 16).toBe(0);
    const journal = await readFile(join(dir, 'kv-on.jsonl'), 'utf8');
    expect(journal).toContain(`"kvCapacityTokens":${trial?.kvCapacityTokens}`);
  });

  it('screens, after resuming, a configuration the measured shift leaves short; launched, it runs out of memory', () => {
    const screened = resumed.trials.find((t) => sameParams(t.params, tight));
    expect(screened?.state).toBe('invalid');
    expect(screened?.failureReason).toBe('screened');
    expect(screened?.screened?.reason).toMatch(
      /the KV cache trial 0's engine reported shows 2\.\d\d GiB per GPU less memory than the model predicts/,
    );
    // Nothing launched failed to start, and everything else of the grid was measured.
    expect(resumed.trials.filter((t) => t.failureReason === 'oom')).toEqual([]);
    expect(resumed.trials.filter((t) => t.state === 'complete').length).toBe(3);
    // Without screening the same configuration is launched and runs out of memory.
    const launched = off.trials.find((t) => sameParams(t.params, tight));
    expect(launched?.state).toBe('failed');
    expect(launched?.failureReason).toBe('oom');
    expect(off.trials.filter((t) => t.failureReason === 'oom').length).toBeGreaterThan(
      resumed.trials.filter((t) => t.failureReason === 'oom').length,
    );
  });
});
