// Ctrl-C during a real study: running trials are torn down, the journal stays resumable, resume finishes it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { journalTrials } from '../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { trialsIn } from './support/journal-trial-count.js';

const root = resolve(import.meta.dirname, '../..');
const loader = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
let cwd: string;

function start(...args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, ['--import', loader, join(root, 'src/cli/autotune.ts'), ...args], {
    cwd,
    env: { ...process.env, AUTOTUNE_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.stdout?.resume();
  const done = new Promise<{ code: number | null; stderr: string }>((ok) =>
    child.on('exit', (code) => ok({ code, stderr })),
  );
  return { child, done };
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cli-int-'));
  await writeFile(
    join(cwd, 'study.yaml'),
    [
      'name: interrupted',
      'model: llama-3.1-8b',
      'sim: { timeScale: 10 }',
      'fixedParams: { max-model-len: 4096 }',
      'space: { max-num-seqs: [16, 32, 64, 128] }',
      'workload: { kind: synthetic, inputTokens: 128, outputTokens: 32 }',
      'load: { kind: concurrency, levels: [16] }',
      'benchmark: { requests: 400, warmupRequests: 2 }',
      'budget: { maxTrials: 3 }',
      'confirm: { top: 0, repeats: 0 }',
      `controller: { kind: local, stateDir: ${JSON.stringify(join(cwd, 'state'))} }`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('autotune run interrupted with SIGINT', () => {
  it('tears down, exits 130 with a resumable journal, and resume completes the study', async () => {
    const journal = join(cwd, '.autotune/interrupted.jsonl');
    const run = start('run', 'study.yaml');
    // Interrupt once the baseline is journaled and the next trial has started.
    const deadline = Date.now() + 90_000;
    while ((await trialsIn(journal)) < 1 && Date.now() < deadline) await sleep(100);
    expect(await trialsIn(journal)).toBeGreaterThanOrEqual(1);
    await sleep(1_500);
    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain('resume with: autotune resume');
    expect(await new LocalController({ stateDir: join(cwd, 'state') }).running()).toEqual([]);
    const before = await readJournal(journal);
    expect(before.entries.some((e) => e.type === 'result')).toBe(false);
    const kept = journalTrials(before.entries).map((t) => [t.number, t.state]);

    const resumed = start('resume', journal);
    const end = await resumed.done;
    expect([0, 3]).toContain(end.code);
    const after = await readJournal(journal);
    const trials = after.entries.flatMap((e) => (e.type === 'trial' ? [e] : []));
    expect(trials.slice(0, kept.length).map((t) => [t.number, t.state])).toEqual(kept);
    expect(trials.filter((t) => t.phase === 'search')).toHaveLength(3);
    expect(new Set(trials.map((t) => t.number)).size).toBe(trials.length);
    expect(after.entries.at(-1)?.type).toBe('result');
    expect(await new LocalController({ stateDir: join(cwd, 'state') }).running()).toEqual([]);
  }, 240_000);
});
