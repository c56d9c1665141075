// A study SIGKILLed mid-trial, then resumed: leftover servers are reaped, no finished trial is lost or
// repeated, and with a deterministic evaluator the resumed study asks exactly what an uninterrupted one asks.
import { readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { SERVER_MARKER_ENV } from '../../src/controllers/local/proc.js';
import { ProcessRegistry } from '../../src/controllers/local/process-registry.js';
import type { StudyEvent } from '../../src/tune/events.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { study, tune } from '../../src/tune/study.js';
import type { TrialRecord } from '../../src/tune/trial-record.js';
import { slowEstimateEvaluator } from './support/kill-study-evaluator.js';
import { runAndKill } from './support/kill-study-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'study-resume-'));
});
afterAll(async () => {
  await new LocalController({ stateDir: join(dir, 'state') }).cleanup();
  await rm(dir, { recursive: true, force: true });
});

// Resolves true when something accepts TCP connections on the port.
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Pids of live processes whose environment carries one of the server markers (read from /proc).
async function markedPids(markers: readonly string[]): Promise<number[]> {
  const wanted = new Set(markers.map((m) => `${SERVER_MARKER_ENV}=${m}`));
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (env.some((entry) => wanted.has(entry))) pids.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

const trialLines = (text: string): TrialRecord[] =>
  text
    .split('\n')
    .filter((line) => line.includes('"type":"trial"'))
    .map((line) => JSON.parse(line) as TrialRecord);

// What must match between two runs of a deterministic study (timestamps and durations aside).
const asked = (trials: readonly TrialRecord[]) =>
  trials.map((t) => ({
    number: t.number,
    phase: t.phase,
    params: t.params,
    confirmOf: t.confirmOf,
    state: t.state,
    objective: t.objective,
  }));

describe('a study killed with SIGKILL mid-trial', () => {
  it('leaves servers that cleanup(studyId) reaps; resume keeps every journaled trial and continues the numbering', async () => {
    const stateDir = join(dir, 'state');
    const options: TuneOptionsInput = {
      name: 'resume-engine',
      model: 'llama-3.1-8b',
      sim: { gpu: 'a100-40gb', timeScale: 20 },
      fixedParams: { 'max-model-len': 4096 },
      space: { 'max-num-seqs': [16, 32, 64, 128, 256], 'max-num-batched-tokens': [2048, 4096, 8192] },
      workload: { kind: 'synthetic', inputTokens: 256, outputTokens: 64 },
      load: { kind: 'concurrency', levels: [32] },
      benchmark: { requests: 40, warmupRequests: 2 },
      objective: 'maximize_throughput',
      budget: { maxTrials: 4 },
      confirm: { top: 1, repeats: 1 },
      controller: { kind: 'local', stateDir },
      journal: join(dir, 'engine.jsonl'),
      seed: 3,
    };
    // Killed once trial 3 (baseline 0, search 1 and 2 journaled) has a ready server.
    const killed = await runAndKill(
      { mode: 'engine', options },
      (event) => event.type === 'trial-ready' && (event.trial ?? 0) >= 3,
    );
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const ready = killed.events.filter((e) => e.type === 'trial-ready');
    const killedTrial = ready.at(-1)?.trial ?? -1;
    expect(killedTrial).toBeGreaterThanOrEqual(3);
    const portOf = (endpoint: unknown) => Number(new URL(String(endpoint)).port);
    const leftoverPort = portOf(ready.at(-1)?.['endpoint']);

    // The server of the killed trial survives its tuner: cleanup must find and reap it.
    const controller = new LocalController({ stateDir });
    const markers = new ProcessRegistry(stateDir)
      .list()
      .filter((e) => e.study === 'resume-engine')
      .map((e) => e.id);
    expect(await controller.running('resume-engine')).toHaveLength(1);
    expect(await markedPids(markers)).not.toEqual([]);
    expect(await listening(leftoverPort)).toBe(true);
    const removed = await controller.cleanup('resume-engine');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toContain(`trial-${killedTrial}`);
    expect(await controller.running('resume-engine')).toEqual([]);
    expect(await markedPids(markers)).toEqual([]);
    expect(await listening(leftoverPort)).toBe(false);

    const before = await readFile(join(dir, 'engine.jsonl'), 'utf8');
    const beforeTrials = trialLines(before);
    expect(beforeTrials.map((t) => t.number)).toEqual(beforeTrials.map((_, i) => i));
    expect(beforeTrials).toHaveLength(killedTrial);

    const resumed = study(options, { resume: true });
    const events: StudyEvent[] = [];
    for await (const event of resumed) events.push(event);
    const result = await resumed.result;
    expect(events[0]).toMatchObject({ type: 'study-started', resumedTrials: killedTrial - 1 });

    const after = await readFile(join(dir, 'engine.jsonl'), 'utf8');
    // Journaled lines are never rewritten: the old journal is a prefix of the new one.
    expect(after.startsWith(before)).toBe(true);
    const afterTrials = trialLines(after);
    expect(afterTrials.slice(0, killedTrial)).toEqual(beforeTrials);
    expect(afterTrials[killedTrial]?.number).toBe(killedTrial);
    // Numbers continue with the trial that was running (it never finished), none twice.
    expect(afterTrials.map((t) => t.number)).toEqual(afterTrials.map((_, i) => i));
    // The confirmation phase re-measures the defaults beside the best configuration.
    expect(afterTrials.map((t) => t.phase)).toEqual([
      'baseline',
      'search',
      'search',
      'search',
      'search',
      'confirm',
      'confirm',
    ]);
    const searched = afterTrials.filter((t) => t.phase === 'search').map((t) => JSON.stringify(t.params));
    expect(new Set(searched).size).toBe(searched.length);
    expect(result.trials.map((t) => t.number)).toEqual(afterTrials.map((t) => t.number));
    expect(await controller.running('resume-engine')).toEqual([]);
    // No server of either run still listens.
    for (const event of [...ready, ...events.filter((e) => e.type === 'trial-ready')]) {
      const endpoint = 'endpoint' in event ? event.endpoint : undefined;
      expect(await listening(portOf(endpoint)), String(endpoint)).toBe(false);
    }
  }, 180_000);

  it('resumes a deterministic study into exactly the trials of an uninterrupted run, after repairing a torn line', async () => {
    const base: TuneOptionsInput = {
      model: 'llama-3.1-8b',
      sim: { gpu: 'h100' },
      space: {
        'max-num-seqs': [16, 32, 64, 128, 256, 512],
        'max-num-batched-tokens': [2048, 4096, 8192, 16384],
        'tensor-parallel-size': [1, 2],
      },
      workload: { kind: 'synthetic', inputTokens: 1024, outputTokens: 256 },
      load: { kind: 'concurrency', levels: [64] },
      slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 40 }] },
      objective: 'maximize_throughput',
      budget: { maxTrials: 10 },
      confirm: { top: 2, repeats: 1 },
      seed: 11,
    };
    const straight = await tune(
      { ...base, journal: join(dir, 'straight.jsonl') },
      { evaluator: slowEstimateEvaluator(base, 0) },
    );

    const options = { ...base, journal: join(dir, 'killed.jsonl') };
    // Killed while trial 6 runs: baseline and five search trials are journaled.
    const killed = await runAndKill(
      { mode: 'slow-estimate', delayMs: 800, options },
      (event) => event.type === 'trial-started' && (event.trial ?? 0) >= 6,
    );
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const before = await readFile(options.journal, 'utf8');
    // Mid-trial: every trial before the running one is journaled, the running one is not.
    const running = killed.events.filter((e) => e.type === 'trial-started').at(-1)?.trial ?? -1;
    expect(running).toBeGreaterThanOrEqual(6);
    expect(trialLines(before).map((t) => t.number)).toEqual(Array.from({ length: running }, (_, i) => i));
    // A crash in the middle of a write leaves a torn last line.
    await appendFile(options.journal, '{"type":"trial","number":6,"params":{"max-num');
    expect((await readJournal(options.journal)).repairedTail).toBe(true);

    const resumed = await tune(options, { resume: true, evaluator: slowEstimateEvaluator(base, 0) });
    expect(asked(resumed.trials)).toEqual(asked(straight.trials));
    expect(resumed.best?.params).toEqual(straight.best?.params);
    const after = await readFile(options.journal, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect((await readJournal(options.journal)).repairedTail).toBe(false);
    expect(asked(trialLines(after))).toEqual(asked(trialLines(await readFile(straight.journalPath, 'utf8'))));
  }, 120_000);

  it.each([
    ['seed', { seed: 12 }],
    ['space', { space: { 'max-num-seqs': [16, 32] } }],
    ['objective', { objective: 'minimize_ttft' }],
    ['model', { model: 'llama-3.1-70b' }],
  ] as Array<[string, Partial<TuneOptionsInput>]>)(
    'refuses to resume a journal with a different %s (ERR_JOURNAL_MISMATCH) and leaves it untouched',
    async (_field, change) => {
      const options: TuneOptionsInput = {
        model: 'llama-3.1-8b',
        space: { 'max-num-seqs': [16, 32, 64] },
        budget: { maxTrials: 2 },
        confirm: { top: 0, repeats: 0 },
        journal: join(dir, `mismatch-${_field}.jsonl`),
        seed: 11,
      };
      await tune(options, { mode: 'estimate' });
      const before = await readFile(options.journal as string, 'utf8');
      await expect(tune({ ...options, ...change }, { mode: 'estimate', resume: true })).rejects.toMatchObject(
        {
          code: 'ERR_JOURNAL_MISMATCH',
        },
      );
      expect(await readFile(options.journal as string, 'utf8')).toBe(before);
      // The same options resume (nothing left to run: the result is rebuilt from the journal).
      await expect(tune(options, { mode: 'estimate', resume: true })).resolves.toBeDefined();
    },
  );
});
