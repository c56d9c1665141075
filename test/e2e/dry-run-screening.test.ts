// `autotune run --dry-run` of a vLLM study whose model is a local folder with a config.json only: the plan says
// which configurations the analytic model would screen and why, through the built CLI.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAutotune, ensureBuilt } from './support/built-cli.js';

const root = resolve(import.meta.dirname, '../..');
const llamaFolder = join(root, 'test/fixtures/models/llama-3.1-8b-instruct');
let cwd: string;

// Two L4 GPUs as nvidia-smi names them; Llama 3.1 8B in bf16 (15 GiB of weights) on 24 GB devices.
const study = (extra: string, gpuName = 'NVIDIA L4') => `
runtime: vllm
model: meta-llama/Llama-3.1-8B-Instruct
modelPath: ${llamaFolder}
controller: { kind: docker }
gpus:
  - { index: 0, name: ${gpuName}, memoryTotalMiB: 23034 }
  - { index: 1, name: ${gpuName}, memoryTotalMiB: 23034 }
space:
  tensor-parallel-size: [1, 2]
  max-model-len: [8192, 131072]
  gpu-memory-utilization: [0.5, 0.9]
budget: { maxTrials: 5 }
${extra}
`;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'dry-run-screening-'));
  await writeFile(join(cwd, 'study.yaml'), study(''));
  await writeFile(join(cwd, 'off.yaml'), study('screening: { enabled: false }'));
  await writeFile(join(cwd, 'no-prior.yaml'), study('strategy: { name: auto, analyticPrior: false }'));
  await writeFile(join(cwd, 'margin.yaml'), study('screening: { margin: 0.5 }'));
  await writeFile(join(cwd, 'unknown-gpu.yaml'), study('', 'NVIDIA Quantum Widget'));
  await ensureBuilt();
}, 600_000);

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('dry run with screening', () => {
  it('lists the configurations that cannot start, with the reasons, and keeps the others', async () => {
    const plan = await builtAutotune(['run', 'study.yaml', '--dry-run'], { cwd });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const lines = plan.stdout.split('\n');
    const header = lines.find((l) => l.includes('screening ('));
    expect(header).toContain('model llama-3.1-8b-instruct, GPU l4, margin 10% of memory');
    expect(header).toContain('4 of all 8 configurations would be screened (oom 2, kv-too-small 2)');
    const reasonOf = (params: string) => lines.find((l) => l.trim().startsWith(`${params}:`));
    expect(reasonOf('tensor-parallel-size=1 max-model-len=8192 gpu-memory-utilization=0.5')).toMatch(
      /: oom: .*14\.96 GiB per GPU, 12\.00 GiB allowed .*even with 10% more memory/,
    );
    expect(reasonOf('tensor-parallel-size=1 max-model-len=131072 gpu-memory-utilization=0.9')).toMatch(
      /: kv-too-small: .*max seq len \(131072\), 16\.00 GiB KV cache is needed/,
    );
    expect(reasonOf('tensor-parallel-size=2 max-model-len=131072 gpu-memory-utilization=0.5')).toMatch(
      /: kv-too-small: .*8\.00 GiB KV cache is needed/,
    );
    // Configurations that fit are not listed.
    expect(reasonOf('tensor-parallel-size=1 max-model-len=8192 gpu-memory-utilization=0.9')).toBeUndefined();
    expect(reasonOf('tensor-parallel-size=2 max-model-len=8192 gpu-memory-utilization=0.5')).toBeUndefined();
    // vLLM's default max-model-len is the model's whole context: the engine defaults do not start on one L4.
    expect(reasonOf('engine defaults')).toMatch(/kv-too-small: .*max seq len \(131072\)/);
    expect(plan.stdout).toContain("search prior: the analytic model's predictions rank the start");
  }, 300_000);

  it('says when the search does without the prior', async () => {
    const plan = await builtAutotune(['run', 'no-prior.yaml', '--dry-run', '--json'], { cwd });
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).analyticPrior).toBe(false);
    const text = await builtAutotune(['run', 'no-prior.yaml', '--dry-run'], { cwd });
    expect(text.stdout).toContain('search prior: none (the analytic model screens only)');
  }, 300_000);

  it('carries the same in the data form', async () => {
    const plan = await builtAutotune(['run', 'study.yaml', '--dry-run', '--json'], { cwd });
    expect(plan.code).toBe(0);
    const data = JSON.parse(plan.stdout);
    expect(data.analyticPrior).toBe(true);
    const screening = data.screening;
    expect(screening).toMatchObject({
      status: 'done',
      margin: 0.1,
      model: 'llama-3.1-8b-instruct',
      gpu: 'l4',
      spaceSize: 8,
      checked: 8,
      sampled: false,
      screenedCount: 4,
      byKind: { oom: 2, 'kv-too-small': 2 },
    });
    expect(screening.screened).toHaveLength(4);
    expect(screening.screened[0]).toMatchObject({
      params: { 'tensor-parallel-size': 1, 'max-model-len': 8192, 'gpu-memory-utilization': 0.5 },
      kind: 'oom',
    });
    expect(screening.screened[0].predicted.weightBytesPerGpu).toBeGreaterThan(
      screening.screened[0].predicted.usableBytes,
    );
  }, 300_000);

  it('a wider margin keeps configurations the model is less sure of', async () => {
    const plan = await builtAutotune(['run', 'margin.yaml', '--dry-run', '--json'], { cwd });
    expect(plan.code).toBe(0);
    const screening = JSON.parse(plan.stdout).screening;
    // With 50 % more memory 15 GiB of weights fit in 18 GiB: only the 128k contexts remain screened.
    expect(screening.margin).toBe(0.5);
    expect(screening.byKind.oom).toBeUndefined();
    expect(screening.screenedCount).toBeGreaterThan(0);
    for (const s of screening.screened) expect(s.params['max-model-len']).toBe(131072);
  }, 300_000);

  it('says why it cannot screen: turned off, or a GPU the model does not know', async () => {
    const off = await builtAutotune(['run', 'off.yaml', '--dry-run'], { cwd });
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('screening: none (screening is turned off (screening.enabled))');
    const unknown = await builtAutotune(['run', 'unknown-gpu.yaml', '--dry-run'], { cwd });
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toMatch(
      /screening: none \(runs without the model because the GPU is unknown: .*Quantum Widget/,
    );
  }, 300_000);
});
