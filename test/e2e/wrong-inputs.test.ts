// Wrong study inputs, as a new user writes them: each is refused before anything launches, through tune() and
// through the built `autotune run <file>` alike, with one message that names every field at fault and its value,
// and exit code 2 from the command. No server runs and no journal is written afterwards.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { probeGpus } from '../../src/gpu/probe-gpus.js';
import { checkStudy } from '../../src/tune/check-study.js';
import { findsExecutable } from '../../src/tune/host-checks.js';
import { OptionsError } from '../../src/tune/options-error.js';
import { tune } from '../../src/tune/study.js';
import { builtAutotune, ensureBuilt } from './support/built-cli.js';

/** Where a row's files live. */
interface RowDirs {
  /** Shared by every row: a directory and files the rows point at. */
  shared: string;
}

interface Row {
  name: string;
  options: (dirs: RowDirs) => Record<string, unknown>;
  /** Every problem the message must list: the option's path and (part of) the value it shows. */
  problems: (dirs: RowDirs) => Array<[path: string, value: string]>;
  /** Further text the message must contain (a did-you-mean, the option to use instead). */
  mentions?: string[];
  /** Text that must not appear anywhere (a secret). */
  absent?: string;
}

const HF_CANARY = 'hf_WrongInputsCanary0123456789';
const hostHasGpus = (await probeGpus()).gpus.length > 0;
const hostHasVllm = findsExecutable('vllm');
const vllmModel = 'meta-llama/Llama-3.1-8B-Instruct';
const oneGpu = [{ index: 0, memoryTotalMiB: 81_920 }];

const fixed = (path: string, value: string): Array<[string, string]> => [[path, value]];

const rows: Row[] = [
  {
    name: 'a fixed memory fraction above 1',
    options: () => ({ fixedParams: { 'gpu-memory-utilization': 1.5 } }),
    problems: () => fixed('fixedParams.gpu-memory-utilization', '1.5'),
    mentions: ['> 0 and <= 1'],
  },
  {
    name: 'a word among the integers of a space list',
    options: () => ({ space: { 'max-num-seqs': [32, 'sixty-four'] } }),
    problems: () => fixed('space.max-num-seqs[1]', '"sixty-four"'),
    mentions: ['an integer for --max-num-seqs'],
  },
  {
    name: 'YAML 1.2 yes/no for a switch',
    options: () => ({ space: { 'enable-chunked-prefill': ['yes', 'no'] } }),
    problems: () => [
      ['space.enable-chunked-prefill[0]', '"yes"'],
      ['space.enable-chunked-prefill[1]', '"no"'],
    ],
    mentions: ['write true or false'],
  },
  {
    name: 'one flag both fixed and tuned',
    options: () => ({ fixedParams: { 'max-num-seqs': 64 }, space: { 'max-num-seqs': [32, 64] } }),
    problems: () => fixed('space.max-num-seqs', '[32,64]'),
    mentions: ['fixedParams.max-num-seqs already sets --max-num-seqs'],
  },
  {
    name: 'a jsonl workload whose file does not exist',
    options: ({ shared }) => ({
      workload: { kind: 'jsonl', path: join(shared, 'missing.jsonl'), outputTokens: 32 },
    }),
    problems: () => fixed('workload.path', 'missing.jsonl"'),
    mentions: ['no such file or directory'],
  },
  {
    name: 'a ShareGPT workload naming a directory',
    options: ({ shared }) => ({ workload: { kind: 'sharegpt', path: shared } }),
    problems: ({ shared }) => fixed('workload.path', shared),
    mentions: ['a directory, not a file'],
  },
  {
    name: 'a schema error and a misspelt flag in the space, together',
    options: () => ({ budget: { maxTrials: 0 }, space: { 'max-num-seq': [16, 32] } }),
    problems: () => [
      ['budget.maxTrials', '0'],
      ['space.max-num-seq', '"max-num-seq"'],
    ],
    mentions: ['did you mean --max-num-seqs?'],
  },
  {
    name: "vLLM with gpus: 'none'",
    options: () => ({ runtime: 'vllm', model: vllmModel, gpus: 'none' }),
    problems: () => [
      ['gpus', '"none"'],
      ...(hostHasVllm ? [] : ([['runtime', '"vllm"']] as Array<[string, string]>)),
    ],
    mentions: ['runtime vllm runs on GPUs', 'runtime: sim'],
  },
  ...(hostHasGpus
    ? []
    : [
        {
          name: 'vLLM in Docker on a host whose probe finds no GPU',
          options: () => ({ runtime: 'vllm', model: vllmModel, controller: { kind: 'docker' } }),
          problems: () => fixed('gpus', '"probe"'),
          mentions: ['the probe found none', "controller: { kind: 'kubernetes' }"],
        },
      ]),
  {
    name: 'the port as an extra argument',
    options: () => ({ extraArgs: ['--port', '8000'] }),
    problems: () => fixed('extraArgs[0]', '"--port"'),
    mentions: ['the controller chooses the port'],
  },
  {
    name: 'the host as an extra argument',
    options: () => ({ extraArgs: ['--host=0.0.0.0'] }),
    problems: () => fixed('extraArgs[0]', '"--host=0.0.0.0"'),
  },
  {
    name: 'an extra argument that overrides a tuned flag',
    options: () => ({ space: { 'max-num-seqs': [16, 32] }, extraArgs: ['--max-num-seqs', '64'] }),
    problems: () => fixed('extraArgs[0]', '"--max-num-seqs"'),
    mentions: ['space.max-num-seqs tunes it'],
  },
  {
    name: 'an extra argument repeating a fixed flag',
    options: () => ({ fixedParams: { 'max-model-len': 4096 }, extraArgs: ['--max-model-len=2048'] }),
    problems: () => fixed('extraArgs[0]', '"--max-model-len=2048"'),
    mentions: ['fixedParams.max-model-len already sets it'],
  },
  {
    name: "the simulated engine with gpus: 'none'",
    options: () => ({ gpus: 'none' }),
    problems: () => fixed('gpus', '"none"'),
    mentions: ['leave `gpus` unset'],
  },
  {
    name: 'a tensor-parallel value wider than the simulated GPUs',
    options: () => ({ space: { 'tensor-parallel-size': [1, 16] } }),
    problems: () => fixed('space.tensor-parallel-size[1]', '16'),
    mentions: ['the 8 GPUs available'],
  },
  {
    name: 'a fixed tensor-parallel size wider than the declared GPUs',
    options: () => ({ gpus: oneGpu, fixedParams: { 'tensor-parallel-size': 2 } }),
    problems: () => fixed('fixedParams.tensor-parallel-size', '2'),
    mentions: ['the 1 GPU available'],
  },
  {
    name: 'a parallel preset wider than the simulated GPUs',
    options: () => ({ sim: { numGpus: 2 }, presets: ['tp4'] }),
    problems: () => fixed('presets[0]', '"tp4"'),
  },
  {
    name: 'an unknown preset',
    options: () => ({ presets: ['fp9'] }),
    problems: () => fixed('presets[0]', '"fp9"'),
  },
  {
    name: 'a preset the engine cannot honour',
    options: () => ({ presets: ['q4-kv'] }),
    problems: () => fixed('presets[0]', '"q4-kv"'),
    mentions: ['no 4-bit integer KV cache'],
  },
  {
    name: 'two parallel presets',
    options: () => ({ presets: ['tp2', 'tp4'] }),
    problems: () => fixed('presets[1]', '"tp4"'),
  },
  {
    name: 'a misspelt fixed flag',
    options: () => ({ fixedParams: { 'max-nmu-seqs': 8 } }),
    problems: () => fixed('fixedParams.max-nmu-seqs', '8'),
    mentions: ['did you mean --max-num-seqs?'],
  },
  {
    name: "an SGLang flag fixed on vLLM's simulation",
    options: () => ({ fixedParams: { 'max-running-requests': 64 } }),
    problems: () => fixed('fixedParams.max-running-requests', '64'),
    mentions: ['--max-num-seqs'],
  },
  {
    name: 'a fixed port',
    options: () => ({ fixedParams: { port: 8000 } }),
    problems: () => fixed('fixedParams.port', '8000'),
    mentions: ['the controller chooses the port'],
  },
  {
    name: "the simulator's time scale as a fixed flag",
    options: () => ({ fixedParams: { 'time-scale': 10 } }),
    problems: () => fixed('fixedParams.time-scale', '10'),
    mentions: ['sim.timeScale'],
  },
  {
    name: "the simulator's seed as a fixed flag",
    options: () => ({ fixedParams: { seed: 3 } }),
    problems: () => fixed('fixedParams.seed', '3'),
    mentions: ['`seed` option'],
  },
  {
    name: 'a range starting below the flag range',
    options: () => ({ space: { 'max-num-seqs': { low: 0, high: 64 } } }),
    problems: () => fixed('space.max-num-seqs.low', '0'),
    mentions: ['a value >= 1 for --max-num-seqs'],
  },
  {
    name: 'a fractional step for an integer flag',
    options: () => ({ space: { 'max-num-seqs': { low: 8, high: 64, step: 0.5 } } }),
    problems: () => fixed('space.max-num-seqs.step', '0.5'),
  },
  {
    name: 'a memory-fraction range ending above 1',
    options: () => ({ space: { 'gpu-memory-utilization': { low: 0.8, high: 1.2, step: 0.1 } } }),
    problems: () => fixed('space.gpu-memory-utilization.high', '1.2'),
  },
  {
    name: 'a negative batch width in a values list',
    options: () => ({ space: { 'max-num-seqs': { values: [16, -1] } } }),
    problems: () => fixed('space.max-num-seqs.values[1]', '-1'),
  },
  {
    name: "a choice SGLang's simulation does not have",
    options: () => ({ engine: 'sglang', space: { 'schedule-policy': ['fcfs', 'fifo'] } }),
    problems: () => fixed('space.schedule-policy[1]', '"fifo"'),
    mentions: ['one of'],
  },
  {
    name: 'one flag tuned under two names',
    options: () => ({ space: { tp: [1, 2], 'tensor-parallel-size': [1, 2] } }),
    problems: () => fixed('space.tensor-parallel-size', '[1,2]'),
    mentions: ['space.tp already tunes --tensor-parallel-size'],
  },
  {
    name: 'two broken space parameters',
    options: () => ({
      space: { 'max-num-seqs': { low: 64, high: 8 }, 'max-num-batched-tokens': [0, 2048] },
    }),
    problems: () => [
      ['space.max-num-seqs.low', '64'],
      ['space.max-num-batched-tokens[0]', '0'],
    ],
  },
  {
    name: 'an empty space',
    options: () => ({ space: {} }),
    problems: () => fixed('space', '{}'),
  },
  {
    name: 'a constraint on a parameter the space does not have',
    options: () => ({
      space: { 'max-num-seqs': [16, 32] },
      constraints: [{ left: 'max-num-seq', op: '<=', right: 64 }],
    }),
    problems: () => fixed('constraints[0].left', '"max-num-seq"'),
  },
  {
    name: 'CUDA_VISIBLE_DEVICES in the environment',
    options: () => ({ env: { CUDA_VISIBLE_DEVICES: '0,1' } }),
    problems: () => fixed('env.CUDA_VISIBLE_DEVICES', '"0,1"'),
    mentions: ['declare the usable GPUs with `gpus`'],
  },
  {
    name: 'a local model path for the simulated engine',
    options: () => ({ modelPath: '/models/llama' }),
    problems: () => fixed('modelPath', '"/models/llama"'),
  },
  {
    name: 'an unknown simulated model and GPU',
    options: () => ({ model: 'gpt-5', sim: { gpu: 'voodoo-5' } }),
    problems: () => [
      ['model', '"gpt-5"'],
      ['sim.gpu', '"voodoo-5"'],
    ],
  },
  {
    name: 'an initial configuration with a bad value',
    options: () => ({
      space: { 'max-num-seqs': [16, 32] },
      strategy: { name: 'bayes', initial: [{ 'max-num-seqs': 'lots' }] },
    }),
    problems: () => [
      ['strategy.initial[0].max-num-seqs', '"lots"'],
      ['strategy.initial[0]', '{"max-num-seqs":"lots"}'],
    ],
  },
  {
    name: 'an initial configuration outside the space',
    options: () => ({
      space: { 'max-num-seqs': [16, 32] },
      strategy: { name: 'bayes', initial: [{ 'max-num-seqs': 48 }] },
    }),
    problems: () => fixed('strategy.initial[0]', '{"max-num-seqs":48}'),
    mentions: ['outside its domain'],
  },
  {
    name: 'initial configurations for the grid strategy',
    options: () => ({
      space: { 'max-num-seqs': [16, 32] },
      strategy: { name: 'grid', initial: [{ 'max-num-seqs': 16 }] },
    }),
    problems: () => fixed('strategy.initial', '[{"max-num-seqs":16}]'),
    mentions: ['only the Bayesian strategy'],
  },
  {
    name: 'a relative dataset path that does not exist',
    options: () => ({ workload: { kind: 'jsonl', path: 'prompts.jsonl' } }),
    problems: () => fixed('workload.path', '"prompts.jsonl"'),
    mentions: ['no such file or directory: /'],
  },
  {
    name: 'a kubeconfig that does not exist',
    options: ({ shared }) => ({
      controller: { kind: 'kubernetes', kubeconfig: join(shared, 'no-kubeconfig') },
    }),
    problems: () => fixed('controller.kubeconfig', 'no-kubeconfig"'),
  },
  {
    name: 'a vLLM binary that does not exist',
    options: () => ({ runtime: 'vllm', model: vllmModel, gpus: oneGpu, binary: '/nonexistent/bin/vllm' }),
    problems: () => fixed('binary', '"/nonexistent/bin/vllm"'),
  },
  {
    name: 'a llama-server not on PATH',
    options: () => ({ runtime: 'llamacpp', model: '/models/m.gguf', binary: 'no-such-llama-server' }),
    problems: () => fixed('binary', '"no-such-llama-server"'),
    mentions: ['on PATH'],
  },
  {
    name: 'an SLO, an objective and a space value, all wrong',
    options: () => ({
      slo: { terms: [{ metric: 'ttfb', stat: 'p99', maxMs: 100 }] },
      objective: 'maximize_fun',
      space: { 'max-num-seqs': [0, 16] },
    }),
    problems: () => [
      ['slo.terms[0].metric', '"ttfb"'],
      ['objective', '"maximize_fun"'],
      ['space.max-num-seqs[0]', '0'],
    ],
  },
  {
    name: 'a misspelt option, a bad fixed value and an owned extra argument',
    options: () => ({
      modle: 'x',
      fixedParams: { 'max-num-seqs': 'many' },
      extraArgs: ['--port=9000'],
    }),
    problems: () => [
      ['modle', '"x"'],
      ['fixedParams.max-num-seqs', '"many"'],
      ['extraArgs[0]', '"--port=9000"'],
    ],
  },
  {
    name: "simulator options for vLLM with gpus: 'none'",
    options: () => ({
      runtime: 'vllm',
      model: vllmModel,
      sim: { gpu: 'h100' },
      gpus: 'none',
      controller: { kind: 'docker' },
    }),
    problems: () => [
      ['sim', '{"gpu":"h100"'],
      ['gpus', '"none"'],
    ],
  },
  {
    name: 'a broken workload and a misspelt space flag',
    options: () => ({
      workload: { kind: 'synthetic', inputTokens: 0, outputTokens: 8 },
      space: { 'max-num-seq': [16] },
    }),
    problems: () => [
      ['workload.inputTokens', '0'],
      ['space.max-num-seq', '"max-num-seq"'],
    ],
  },
  {
    name: 'a negative seed and CUDA_VISIBLE_DEVICES',
    options: () => ({ seed: -1, env: { CUDA_VISIBLE_DEVICES: '0' } }),
    problems: () => [
      ['seed', '-1'],
      ['env.CUDA_VISIBLE_DEVICES', '"0"'],
    ],
  },
  {
    name: 'no for a fixed switch',
    options: () => ({ fixedParams: { 'enable-prefix-caching': 'no' } }),
    problems: () => fixed('fixedParams.enable-prefix-caching', '"no"'),
    mentions: ['write true or false'],
  },
  {
    name: 'None as a fixed value',
    options: () => ({ fixedParams: { 'max-model-len': 'None' } }),
    problems: () => fixed('fixedParams.max-model-len', '"None"'),
    mentions: ['omit the parameter'],
  },
  {
    name: 'a token as a fixed flag',
    options: () => ({ fixedParams: { 'hf-token': HF_CANARY } }),
    problems: () => fixed('fixedParams.hf-token', '[REDACTED]'),
    mentions: ['`hfToken`'],
    absent: HF_CANARY,
  },
  {
    name: "a vLLM flag in llama.cpp's simulation",
    options: () => ({ engine: 'llamacpp', space: { 'max-num-seqs': [1, 2] } }),
    problems: () => fixed('space.max-num-seqs', '"max-num-seqs"'),
    mentions: ['--parallel'],
  },
];

let root: string;
let dirs: RowDirs;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wrong-inputs-'));
  dirs = { shared: join(root, 'shared') };
  await mkdir(dirs.shared, { recursive: true });
  await ensureBuilt();
}, 600_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// The row's options, each row with its own journal and (for local launches) its own controller state.
function studyOptions(row: Row, rowDir: string): Record<string, unknown> {
  const options = { model: 'llama-3.1-8b', ...row.options(dirs) };
  return {
    ...options,
    journal: join(rowDir, 'journal.jsonl'),
    ...('controller' in options ? {} : { controller: { kind: 'local', stateDir: join(rowDir, 'state') } }),
  };
}

// The message lists each expected problem on its own line (`  - path: got value, expected ...`), and nothing else.
function expectProblems(message: string, row: Row): void {
  const lines = message.split('\n').filter((line) => line.startsWith('  - '));
  const expected = row.problems(dirs);
  for (const [path, value] of expected) {
    const line = lines.find((l) => l.startsWith(`  - ${path}: got `));
    expect(line, `${path} in:\n${message}`).toBeDefined();
    expect(line).toContain(value);
  }
  expect(lines, message).toHaveLength(expected.length);
  for (const text of row.mentions ?? []) expect(message).toContain(text);
  if (row.absent) expect(message).not.toContain(row.absent);
}

// Nothing ran: no server of the row's local controller, no journal.
async function expectNothingLaunched(options: Record<string, unknown>): Promise<void> {
  expect(existsSync(options['journal'] as string)).toBe(false);
  const controller = options['controller'] as { kind: string; stateDir?: string };
  if (controller.kind === 'local' && controller.stateDir)
    expect(await new LocalController({ stateDir: controller.stateDir }).running()).toEqual([]);
}

describe.concurrent('wrong study inputs are refused before any launch', () => {
  it('the table has at least 40 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows.map((row, i) => [row.name, i] as const))(
    '%s',
    async (_name, i) => {
      const row = rows[i] as Row;
      const rowDir = join(root, `row-${i}`);
      await mkdir(rowDir, { recursive: true });
      const options = studyOptions(row, rowDir);

      const error = await tune(options as never).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as OptionsError).code).toBe('ERR_INVALID_OPTION');
      expectProblems((error as Error).message, row);
      // The dry run's checks (checkStudy, whose result describePlan prints) refuse it with the same message.
      const dryRun = await checkStudy(options).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((dryRun as Error | undefined)?.message).toBe((error as Error).message);
      await expectNothingLaunched(options);

      await writeFile(join(rowDir, 'study.json'), JSON.stringify(options, null, 2));
      const run = await builtAutotune(['run', 'study.json'], { cwd: rowDir });
      expect(run.code, run.stderr).toBe(2);
      expectProblems(run.stderr, row);
      expect(run.stdout).toBe('');
      await expectNothingLaunched(options);
    },
    180_000,
  );
});
