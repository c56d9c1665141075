// The autotune command as a user runs it: real child processes, real files, documented exit codes.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';

const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
// Each command is a fresh node process that compiles src/ through tsx: a few seconds when the machine is
// idle, over 20 s when other processes hold every core. The bounds only catch a hang.
const COMMAND_TIMEOUT_MS = 300_000;
let cwd: string;

function autotune(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return autotuneWith({ ...process.env, AUTOTUNE_LOG_LEVEL: 'error' }, ...args);
}

function autotuneWith(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', loader, join(root, 'src/cli/autotune.ts'), ...args],
      { cwd, timeout: COMMAND_TIMEOUT_MS, env },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const studyYaml = `
name: cli-study
model: llama-3.1-8b
sim: { gpu: a100-40gb }
fixedParams: { max-model-len: 4096 }
space:
  max-num-seqs: [16, 32, 64, 128]
  enable-chunked-prefill: [true, false]
load: { kind: concurrency, levels: [64] }
slo:
  terms:
    - { metric: tpot, stat: p99, maxMs: 50 }
objective: maximize_throughput
budget: { maxTrials: 5 }
`;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cli-'));
  await writeFile(join(cwd, 'study.yaml'), studyYaml);
  await writeFile(
    join(cwd, 'bad.yaml'),
    'model: llama-3.1-8b\nbudget: { maxTrials: -1 }\nslo: { terms: [{ metric: ttft, stat: p77, maxMs: 5 }] }\n',
  );
  await writeFile(
    join(cwd, 'impossible.yaml'),
    'model: llama-3.1-8b\nslo: { terms: [{ metric: tpot, stat: p99, maxMs: 0.01 }] }\nbudget: { maxTrials: 2 }\n',
  );
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('autotune', () => {
  it(
    'run --estimate finishes a study, prints the winner and exits 0; status and report read the journal',
    async () => {
      const run = await autotune('run', 'study.yaml', '--estimate');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('## Study cli-study');
      // The space holds the defaults' own values: a tuned winner, or the advice to keep the defaults.
      expect(run.stdout).toMatch(
        /Winner: trial \d+|Recommendation: keep the engine defaults\*\* \(trial 0\)/,
      );
      expect(run.stdout).toContain('inference-sim --engine vllm');
      expect(run.stderr).toContain('trial 0 (baseline)');

      const status = await autotune('status', '.autotune/cli-study.jsonl', '--json');
      expect(status.code).toBe(0);
      const parsed = JSON.parse(status.stdout) as { finished: boolean; trials: number };
      expect(parsed.finished).toBe(true);
      expect(parsed.trials).toBeGreaterThanOrEqual(6);
      // A finished study's status names its recommendation and the comparison with the defaults.
      const text = await autotune('status', '.autotune/cli-study.jsonl');
      expect(text.stdout).toMatch(/recommended: trial \d+/);
      expect(text.stdout).toMatch(/engine defaults/);
      const keeps = (JSON.parse(status.stdout) as { keepDefaults: boolean }).keepDefaults;
      expect(text.stdout.includes('(the engine defaults)')).toBe(keeps);

      const markdown = await autotune('report', '.autotune/cli-study.jsonl', '--format', 'markdown');
      expect(markdown.code).toBe(0);
      expect(markdown.stdout).toContain('cli-study');
      const html = await autotune('report', '.autotune/cli-study.jsonl', '--out', 'report.html');
      expect(html.code).toBe(0);
      expect(await readFile(join(cwd, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);

      // The same study file again: the journal exists; the message says how to continue or start over.
      const again = await autotune('run', 'study.yaml', '--estimate');
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('already exists');
      expect(again.stderr).toContain('--resume');
      expect(again.stderr).toContain('--force');
      expect(again.stderr).not.toMatch(/trial \d+/);

      // A larger budget on resume: the progress counts search trials against the new budget (the trial numbers
      // also count the baseline and the confirmation runs).
      const resumed = await autotune(
        'resume',
        '.autotune/cli-study.jsonl',
        '--estimate',
        '--max-trials',
        '7',
      );
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toContain('(resumed 5)');
      const counts = [...resumed.stderr.matchAll(/^trial \d+ \((\d+)\/(\d+)\)/gm)].map((m) => [
        Number(m[1]),
        Number(m[2]),
      ]);
      expect(counts).toEqual([
        [6, 7],
        [7, 7],
      ]);

      // Resuming with other options names what differs, both values, secrets redacted.
      await writeFile(
        join(cwd, 'changed.yaml'),
        studyYaml
          .replace('max-num-seqs: [16, 32, 64, 128]', 'max-num-seqs: [16, 32]')
          .concat('seed: 4\nextraArgs: ["--api-key", "sk-live0123456789abcdef"]\n'),
      );
      const mismatch = await autotune('resume', '.autotune/cli-study.jsonl', 'changed.yaml', '--estimate');
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toContain('space.max-num-seqs: journal [16,32,64,128], now [16,32]');
      expect(mismatch.stderr).toContain('seed: journal 0, now 4');
      expect(mismatch.stderr).toContain('extraArgs: journal [], now ["--api-key","[REDACTED]"]');
      expect(mismatch.stderr).not.toContain('sk-live0123456789abcdef');

      // --force starts over and keeps the old journal aside.
      const before = await readFile(join(cwd, '.autotune/cli-study.jsonl'), 'utf8');
      const fresh = await autotune('run', 'study.yaml', '--estimate', '--force');
      expect(fresh.code).toBe(0);
      const kept = /previous journal is kept as (\S+\.bak)\n/.exec(fresh.stderr)?.[1];
      expect(kept).toMatch(/cli-study\.jsonl\.\d{4}-\d\d-\d\dT[\d-]+Z\.bak$/);
      expect(await readFile(kept as string, 'utf8')).toBe(before);
      expect(fresh.stderr).not.toContain('(resumed');
      expect(await readdir(join(cwd, '.autotune'))).toContain('cli-study.jsonl');
    },
    3 * COMMAND_TIMEOUT_MS,
  );

  it(
    'a study against the simulated engine prints human lines only; JSON logs only with --log-level',
    async () => {
      await writeFile(
        join(cwd, 'quiet.yaml'),
        [
          'name: quiet',
          'model: llama-3.1-8b',
          'sim: { timeScale: 10 }',
          'fixedParams: { max-model-len: 4096 }',
          'space: { max-num-seqs: [16, 64] }',
          'workload: { kind: synthetic, inputTokens: 128, outputTokens: 32 }',
          'load: { kind: concurrency, levels: [8] }',
          'benchmark: { requests: 16, warmupRequests: 1 }',
          'budget: { maxTrials: 2 }',
          'confirm: { top: 0, repeats: 0 }',
          `controller: { kind: local, stateDir: ${JSON.stringify(join(cwd, 'state'))} }`,
          '',
        ].join('\n'),
      );
      // The defaults a user has: no AUTOTUNE_LOG_LEVEL.
      const { AUTOTUNE_LOG_LEVEL: _unset, ...env } = process.env;
      // A pino record: {"level":30,"time":...}
      const jsonLine = /^\{"level":\d+,"time":/m;
      const quiet = await autotuneWith(env, 'run', 'quiet.yaml');
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).toMatch(/^trial 2 \(2\/2\) (feasible|infeasible)/m);
      expect(quiet.stdout).toContain('## Study quiet');
      expect(quiet.stderr).not.toMatch(jsonLine);
      expect(quiet.stdout).not.toMatch(jsonLine);

      const logged = await autotuneWith(env, 'run', 'quiet.yaml', '--force', '--log-level', 'debug');
      expect(logged.code).toBe(0);
      const records = logged.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(records.some((r) => r.level === 30 && /^study quiet started/.test(r.msg))).toBe(true);
      expect(records.some((r) => r.level === 20)).toBe(true);
      expect(logged.stdout).not.toMatch(jsonLine);

      // --json: events and the result on stdout, nothing else there; no logs without --log-level.
      const json = await autotuneWith(env, 'run', 'quiet.yaml', '--force', '--json');
      expect(json.code).toBe(0);
      const lines = json.stdout.trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { type: string }).type).at(-1)).toBe('result');
      expect(json.stdout).not.toMatch(jsonLine);
      expect(json.stderr).not.toMatch(jsonLine);
      expect(await new LocalController({ stateDir: join(cwd, 'state') }).running()).toEqual([]);
    },
    3 * COMMAND_TIMEOUT_MS,
  );

  it(
    'exits 3 when no configuration meets the SLO',
    async () => {
      const run = await autotune('run', 'impossible.yaml', '--estimate', '--journal', 'impossible.jsonl');
      expect(run.stdout).toContain('No feasible configuration was found');
      expect(run.code).toBe(3);
    },
    COMMAND_TIMEOUT_MS,
  );

  // Usage mistakes (unknown commands and options, bad numbers...) are in cli-usage.test.ts.
  it.each([
    [['run', 'bad.yaml'], 2, /budget\.maxTrials[\s\S]*slo\.terms\[0\]\.stat/],
    [['run', 'missing.yaml'], 2, /missing\.yaml/],
  ])(
    'autotune %j exits %i with a clear message',
    async (args, code, message) => {
      const run = await autotune(...args);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
    },
    COMMAND_TIMEOUT_MS,
  );

  it.each([
    [
      'truncated',
      'status',
      (lines: string[]) => [lines[0], lines[1]?.slice(0, 60), lines[2]],
      2,
      /not valid JSON/,
    ],
    [
      'garbled',
      'report',
      (lines: string[]) => [lines[0], lines[1], '%%% not a journal line', lines[2]],
      3,
      /not valid JSON/,
    ],
    [
      'foreign',
      'resume',
      (lines: string[]) => [lines[0], '{"type":"event","at":1}', lines[1]],
      2,
      /type "event"/,
    ],
    [
      'foreign-file',
      'status',
      () => ['{"name":"a package.json","version":"1.0.0"}', '{}'],
      1,
      /not an inference-autotuner journal/,
    ],
  ])(
    'a %s journal given to %s prints the file, the line and the problem, and exits 2',
    async (kind, command, edit, line, problem) => {
      const good = (await readFile(join(root, 'test/fixtures/journals/finished-study.jsonl'), 'utf8')).split(
        '\n',
      );
      const path = join(cwd, `${kind}.jsonl`);
      await writeFile(path, `${edit(good).join('\n')}\n`);
      const run = await autotune(command, path);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${path} line ${line}:`);
      expect(run.stderr).toMatch(problem);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    },
    60_000,
  );

  it('resume from a journal alone fails before launching when a secret env value is not set', async () => {
    await writeFile(
      join(cwd, 'secret.yaml'),
      `${studyYaml}\nenv: { TUNER_TEST_API_KEY: key-live-0123456789 }\n`,
    );
    const first = await autotune('run', 'secret.yaml', '--estimate', '--journal', 'secret.jsonl');
    expect(first.code).toBe(0);
    expect(await readFile(join(cwd, 'secret.jsonl'), 'utf8')).not.toContain('key-live-0123456789');
    const resumed = await autotune('resume', 'secret.jsonl', '--max-trials', '6');
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain('env.TUNER_TEST_API_KEY is a secret the journal does not keep');
    expect(resumed.stderr).not.toMatch(/trial \d+/);
  }, 120_000);

  it(
    'estimate predicts one configuration; dry-run prints the plan',
    async () => {
      const estimate = await autotune(
        'estimate',
        '--model',
        'llama-3.1-8b',
        '--gpu',
        'h100',
        '--set',
        'max-num-seqs=64',
        '--concurrency',
        '32',
      );
      expect(estimate.code).toBe(0);
      expect(estimate.stdout).toMatch(/throughput \d+ output tok\/s/);
      const oom = await autotune('estimate', '--model', 'llama-3.1-70b', '--gpu', 'rtx-4090');
      expect(oom.code).toBe(3);
      expect(oom.stdout).toMatch(/would fail at start-up/);
      const plan = await autotune('run', 'study.yaml', '--dry-run');
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('dry run: nothing is launched');
      expect(plan.stdout).toContain(
        'max-num-seqs: [16,32,64,128]  (lower ttft: 128; lower tpot, itl, KV pressure: 16)',
      );
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    'cleanup reports per controller and never fails on an unreachable control plane',
    async () => {
      const run = await autotune(
        'cleanup',
        '--controller',
        'local',
        '--state-dir',
        join(cwd, 'state'),
        '--study',
        'nothing-here',
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('local: removed 0');
    },
    COMMAND_TIMEOUT_MS,
  );
});
