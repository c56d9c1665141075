// The autotune command's conventions, each checked on a real process: help on every command, the version, and
// every usage mistake refused with exit code 2 and one message naming the option and the value.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
// A usage answer loads no study code (about a second); the bound only catches a hang on a busy machine.
const COMMAND_TIMEOUT_MS = 120_000;
let cwd: string;

function autotune(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', loader, join(root, 'src/cli/autotune.ts'), ...args],
      { cwd, timeout: COMMAND_TIMEOUT_MS },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cli-usage-'));
  await writeFile(join(cwd, 'study.yaml'), 'model: llama-3.1-8b\nbudget: { maxTrials: 2 }\n');
  await writeFile(join(cwd, 'typo.yaml'), 'model: llama-3.1-8b\nruntime: sim\nbudgett: 3\n');
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const COMMANDS = ['run', 'resume', 'status', 'report', 'cleanup', 'estimate', 'kubernetes-job'];

describe('autotune help and version', () => {
  it.each(COMMANDS)(
    'autotune %s --help prints its usage on stdout and exits 0',
    async (command) => {
      const run = await autotune(command, '--help');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: autotune ${command} [options]`);
      expect(run.stderr).toBe('');
    },
    COMMAND_TIMEOUT_MS,
  );

  it('autotune --help lists every command and the exit codes; help <command> is the command help', async () => {
    const run = await autotune('--help');
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toMatch(/Exit codes: 0 .*1 error, 2 invalid options or usage/);
    const help = await autotune('help', 'run');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--force');
    expect(help.stdout).toContain('--log-level <level>');
  });

  it.each([['--version'], ['-V']])('autotune %s prints the version of package.json', async (flag) => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const run = await autotune(flag);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });
});

const estimate = ['estimate', '--model', 'llama-3.1-8b'];

describe('autotune usage mistakes', () => {
  it.each([
    [[], /Usage: autotune \[options\] \[command\]/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run'], /missing required argument 'study'/],
    [['run', 'study.yaml', 'other.yaml'], /too many arguments for 'run'/],
    [['run', 'study.yaml', '--max-trials', '-1'], /--max-trials: got "-1", expected a positive integer/],
    [['run', 'study.yaml', '--max-trials', '0'], /--max-trials: got "0", expected a positive integer/],
    [['run', 'study.yaml', '--max-trials', 'lots'], /--max-trials: got "lots", expected a positive integer/],
    [['run', 'study.yaml', '--max-trials=2.5'], /--max-trials: got "2\.5", expected a positive integer/],
    [['run', 'study.yaml', '--max-trials'], /option '--max-trials <n>' argument missing/],
    [['run', 'study.yaml', '--bogus'], /unknown option '--bogus'/],
    [['run', 'study.yaml', '--resume', '--force'], /option '--resume' cannot be used with option '--force'/],
    [['run', 'study.yaml', '--new', '--resume'], /option '--resume' cannot be used with option '--new'/],
    [
      ['run', 'study.yaml', '--log-level', 'loud'],
      /--log-level: got "loud", expected one of fatal, error, warn/,
    ],
    [['run', 'missing.yaml'], /study file: got "missing\.yaml"/],
    [['resume'], /missing required argument 'journal'/],
    [
      ['resume', 'j.jsonl', '--max-trials', '-5'],
      /\(2 problems\):\n {2}- --max-trials: got "-5", expected a positive integer\n {2}- journal: got "j\.jsonl", expected a readable journal \(Cannot read journal j\.jsonl: ENOENT/,
    ],
    [['status'], /missing required argument 'journal'/],
    [['status', 'nope.jsonl'], /Cannot read journal nope\.jsonl: ENOENT/],
    [['resume', 'nope.jsonl'], /Cannot read journal nope\.jsonl: ENOENT/],
    [['report', 'j.jsonl', '--format', 'pdf'], /option '--format <format>' argument 'pdf' is invalid/],
    [
      ['cleanup', '--controller', 'local,ssh'],
      /option '--controller <kinds>' argument 'local,ssh' is invalid.*"ssh"/,
    ],
    [['estimate'], /required option '--model <name>' not specified/],
    [['estimate', '--model', 'foo'], /--model: got "foo", expected a model of .*llama-3\.1-8b/],
    [[...estimate, '--gpu', 'tpu-v5'], /--gpu: got "tpu-v5", expected a GPU of .*h100/],
    [[...estimate, '--engine', 'trt-llm'], /option '--engine <engine>' argument 'trt-llm' is invalid/],
    [
      [...estimate, '--concurrency', '16', '--rate', '4'],
      /--concurrency: got "16", expected either a concurrency or a request rate \(--rate 4\), not both/,
    ],
    [[...estimate, '--concurrency', '-3'], /--concurrency: got "-3", expected a positive integer/],
    [[...estimate, '--rate', 'fast'], /--rate: got "fast", expected a positive number/],
    [[...estimate, '--input-tokens', '-512'], /--input-tokens: got "-512", expected a positive integer/],
    [[...estimate, '--set', 'max-num-seqs'], /--set: got "max-num-seqs", expected key=value/],
    [
      [...estimate, '--set', 'max-num-sequences=8'],
      /--set max-num-sequences: got 8, expected a flag of .*did you mean --max-num-seqs/,
    ],
    // Every problem of the command's input at once, not the first alone: the flags' with the study file's.
    [
      ['run', 'typo.yaml', '--max-trials', 'lots', '--log-level', 'loud'],
      /Invalid command-line flags and study options \(3 problems\):\n {2}- --max-trials: got "lots"[^\n]*\n {2}- --log-level: got "loud"[^\n]*\n[\s\S]*budgett: got 3, expected no such option \(unknown key\); did you mean `budget`\?/,
    ],
    [
      ['run', 'missing.yaml', '--max-trials', '0'],
      /--max-trials: got "0"[\s\S]*study file: got "missing\.yaml"/,
    ],
    [
      ['estimate', '--model', 'foo', '--gpu', 'tpu-v5', '--rate', 'fast', '--set', 'max-num-sequences=8'],
      /Invalid estimate options \(4 problems\)[\s\S]*--rate[\s\S]*--model[\s\S]*--gpu[\s\S]*--set max-num-sequences/,
    ],
  ])(
    'autotune %j exits 2 naming the option and the value',
    async (args, message) => {
      const run = await autotune(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      // A usage answer comes before any study code runs: nothing is journaled.
      expect(run.stderr).not.toMatch(/trial \d+/);
    },
    COMMAND_TIMEOUT_MS,
  );
});

describe('a reader that stops early', () => {
  it(
    'autotune --help into a closed pipe ends quietly with 0',
    async () => {
      const { spawn } = await import('node:child_process');
      const child = spawn(
        process.execPath,
        ['--import', loader, join(root, 'src/cli/autotune.ts'), '--help'],
        {
          cwd,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      // `| head -0`: the reader goes away before the help is written.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(0);
    },
    COMMAND_TIMEOUT_MS,
  );
});
