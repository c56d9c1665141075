// Every example runs as written (as a child process, importing the package by name).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'examples-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

// `--conditions=inference-autotuner-source` resolves the package to src/ so the examples run without a build.
async function exampleOutput(
  name: string,
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ stdout: string; stderr: string }> {
  const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
  return run(
    process.execPath,
    ['--conditions=inference-autotuner-source', '--import', loader, join(root, 'examples', name), ...args],
    { cwd, timeout: 480_000, maxBuffer: 8 * 2 ** 20, env },
  );
}

async function example(name: string, ...args: string[]): Promise<string> {
  return (await exampleOutput(name, { ...process.env, AUTOTUNE_LOG_LEVEL: 'error' }, ...args)).stdout;
}

// A pino record as JSON: {"level":40,"time":...}.
const JSON_LOG_LINE = /^\{"level":\d+,"time":/m;

describe('examples', () => {
  it('quickstart (npm run demo) compares the result with the defaults, noise included, and prints no JSON log line', async () => {
    // As a user runs it: no AUTOTUNE_LOG_LEVEL, so the library's default logger speaks.
    const { AUTOTUNE_LOG_LEVEL: _unset, ...env } = process.env;
    const { stdout: out, stderr } = await exampleOutput('quickstart.ts', env);
    expect(out).not.toMatch(JSON_LOG_LINE);
    expect(stderr).not.toMatch(JSON_LOG_LINE);
    // On a busy machine the defaults sit near the TPOT bound: the tuned winner, or keeping the defaults, is
    // recommended by the comparison's verdict, and the quickstart says which.
    expect(out).toMatch(
      /^(Best configuration \(trial \d+\)|Keep the engine defaults \(trial 0\): no tuned configuration beat them beyond noise\.)/m,
    );
    expect(out).toMatch(/goodput [\d.]+ req\/s/);
    expect(out).toMatch(
      /^(Trial \d+ beats the engine defaults beyond noise|Keep the engine defaults: |The engine defaults broke the SLO in \d of \d runs; trial \d+ meets it|The engine defaults failed \(.*\); trial \d+ meets the SLO)/m,
    );
    expect(out).toMatch(/Run it: npx --no -- inference-sim --engine vllm --model llama-3.1-8b/);
  }, 480_000);

  it('notebook walks through plan, events and result', async () => {
    const out = await example('notebook.ts');
    expect(out).toContain('Study notebook (dry run: nothing is launched)');
    expect(out).toMatch(/trial 0 \(baseline\): complete/);
    expect(out).toMatch(/trial \d+ \(search\)/);
    expect(out).toMatch(/(winner|keep the engine defaults): trial \d+|no feasible configuration/);
  }, 480_000);

  it('the example study file validates and plans with the autotune command', async () => {
    const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        loader,
        join(root, 'src/cli/autotune.ts'),
        'run',
        join(root, 'examples/study.yaml'),
        '--dry-run',
      ],
      { cwd, timeout: 300_000 },
    );
    expect(stdout).toContain('Study example-study (dry run: nothing is launched)');
    expect(stdout).toContain('max-num-seqs: [32,48,64,80,96,128,256]');
  }, 300_000);

  it.each([
    [
      'vllm-docker.ts',
      /docker run -d --name llm-server --gpus .* vllm\/vllm-openai:v0\.22\.0 serve meta-llama\/Llama-3\.1-8B-Instruct/,
    ],
    [
      'sglang-kubernetes.ts',
      /kind: Deployment[\s\S]*namespace: llm-tuning[\s\S]*node-pool: inference[\s\S]*NVIDIA-H100-80GB-HBM3[\s\S]*name: hf-token[\s\S]*nvidia\.com\/gpu: "4"[\s\S]*claimName: hf-models[\s\S]*kind: Service/,
    ],
  ])(
    '%s validates and prints its plan with --dry-run',
    async (name, pattern) => {
      const out = await example(name, '--dry-run');
      expect(out).toContain('dry run: nothing is launched');
      expect(out).toMatch(pattern);
    },
    300_000,
  );
});
