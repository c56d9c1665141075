// A whole study against the simulated engine through the local controller: real child processes, real HTTP.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import type { StudyEvent } from '../../src/tune/events.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { study } from '../../src/tune/study.js';
import { scratchDir } from '../support/scratch-dir.js';

const dir = scratchDir('study-local-');

describe('a simulated study through the local controller', () => {
  it('finds a feasible configuration, journals every trial, publishes events and leaves no process', async () => {
    const stateDir = join(dir(), 'state');
    const journal = join(dir(), 'study.jsonl');
    const running = study(
      {
        name: 'e2e-local',
        model: 'llama-3.1-8b',
        sim: { gpu: 'a100-40gb', timeScale: 10 },
        fixedParams: { 'max-model-len': 4096 },
        space: { 'max-num-seqs': [16, 32, 64, 256], 'enable-chunked-prefill': [true] },
        workload: { kind: 'synthetic', inputTokens: 256, outputTokens: 64 },
        load: { kind: 'concurrency', levels: [48] },
        benchmark: { requests: 60, warmupRequests: 4 },
        slo: { terms: [{ metric: 'tpot', stat: 'p99', maxMs: 400 }], maxErrorRate: 0.05 },
        objective: 'maximize_throughput',
        budget: { maxTrials: 3 },
        confirm: { top: 1, repeats: 1 },
        controller: { kind: 'local', stateDir },
        journal,
      },
      {},
    );
    const events: StudyEvent[] = [];
    for await (const event of running) events.push(event);
    const result = await running.result;

    expect(result.best).toBeDefined();
    expect(result.best?.record.feasible).toBe(true);
    expect(result.best?.objective[0]).toBeGreaterThan(0);
    // The export runs the winner's own flags; one confirmation run a side is too few for an interval, so the
    // engine defaults are recommended when they measured at least as well, and then the export carries no tuned flag.
    const fromDefaults = result.best?.record.phase === 'baseline';
    if (fromDefaults) expect(result.best?.exports.argv).not.toContain('--max-num-seqs');
    else expect(result.best?.exports.argv).toContain('--max-num-seqs');
    expect(result.best?.exports.argv).toContain('--max-model-len 4096');
    expect(result.defaults).toMatchObject({ defaultsTrial: 0, verdict: 'unconfirmed', interval: undefined });
    expect(result.defaults?.keepDefaults).toBe(fromDefaults);
    // baseline + 3 search + 1 confirmation of the defaults, then 1 of the best tuned configuration
    expect(result.trials.map((t) => t.phase)).toEqual([
      'baseline',
      'search',
      'search',
      'search',
      'confirm',
      'confirm',
    ]);
    expect(result.trials[4]?.confirmOf).toBe(0);
    for (const trial of result.trials) {
      expect(['complete', 'failed', 'invalid', 'pruned']).toContain(trial.state);
      if (trial.state === 'complete') {
        expect(trial.metrics?.requestCount).toBe(60);
        expect(trial.manifest?.argv.join(' ')).toContain('--model llama-3.1-8b');
        expect(trial.startupMs).toBeGreaterThan(0);
      }
    }
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('study-started');
    expect(types.at(-1)).toBe('study-finished');
    expect(types).toContain('trial-ready');
    expect(types).toContain('best-improved');

    const contents = await readJournal(journal);
    expect(contents.header.studyId).toBe('e2e-local');
    expect(contents.entries.filter((e) => e.type === 'trial')).toHaveLength(6);
    expect(contents.entries.at(-1)?.type).toBe('result');
    expect(await new LocalController({ stateDir }).running()).toEqual([]);
  }, 180_000);

  it('stops the study when the caller leaves the event loop early, leaving no process behind', async () => {
    const stateDir = join(dir(), 'state-leave');
    const running = study({
      name: 'e2e-leave',
      model: 'llama-3.1-8b',
      sim: { timeScale: 10 },
      fixedParams: { 'max-model-len': 4096 },
      space: { 'max-num-seqs': [16, 32, 64] },
      workload: { kind: 'synthetic', inputTokens: 128, outputTokens: 32 },
      load: { kind: 'concurrency', levels: [8] },
      benchmark: { requests: 400, warmupRequests: 2 },
      budget: { maxTrials: 3 },
      controller: { kind: 'local', stateDir },
      journal: join(dir(), 'leave.jsonl'),
    });
    for await (const event of running) if (event.type === 'trial-ready') break;
    await expect(running.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(running.events.some((e) => e.type === 'study-finished')).toBe(false);
    expect(await new LocalController({ stateDir }).running()).toEqual([]);
  }, 120_000);

  it('prunes a trial once its SLO is lost beyond doubt, and not when pruning is off', async () => {
    const options = {
      model: 'llama-3.1-8b',
      sim: { timeScale: 10 },
      fixedParams: { 'max-model-len': 4096 },
      space: { 'max-num-seqs': [32] },
      workload: { kind: 'synthetic' as const, inputTokens: 128, outputTokens: 32 },
      load: { kind: 'concurrency' as const, levels: [8] },
      benchmark: { requests: 200, warmupRequests: 2 },
      // No engine meets a 0.01 ms TTFT: two slow requests out of 200 already prove the p99 broken.
      slo: { terms: [{ metric: 'ttft' as const, stat: 'p99' as const, maxMs: 0.01 }] },
      budget: { maxTrials: 1 },
      confirm: { top: 0, repeats: 0 },
      controller: { kind: 'local' as const, stateDir: join(dir(), 'state-prune') },
    };
    const pruned = await study({ ...options, journal: join(dir(), 'pruned.jsonl') }).result;
    // The baseline is measured in full (the comparison with the defaults reads it); search trials are pruned.
    expect(pruned.trials[0]?.phase).toBe('baseline');
    expect(pruned.trials[0]?.state).toBe('complete');
    expect(pruned.trials[0]?.metrics?.requestCount).toBe(200);
    const trial = pruned.trials[1];
    expect(trial?.state).toBe('pruned');
    expect(trial?.feasible).toBe(false);
    expect(trial?.metrics?.requestCount).toBeLessThan(200);
    expect(trial?.constraints?.[0]).toBeGreaterThan(0);
    // ITL, pooled over token gaps, is proven lost too (the run's max_tokens bound how many gaps can come).
    const itl = await study({
      ...options,
      baseline: false,
      slo: { terms: [{ metric: 'itl' as const, stat: 'p99' as const, maxMs: 0.01 }] },
      journal: join(dir(), 'pruned-itl.jsonl'),
    }).result;
    expect(itl.trials[0]?.state).toBe('pruned');
    expect(itl.trials[0]?.metrics?.requestCount).toBeLessThan(200);
    const full = await study({ ...options, pruning: false, journal: join(dir(), 'full.jsonl') }).result;
    expect(full.trials[1]?.state).toBe('complete');
    expect(full.trials[1]?.metrics?.requestCount).toBe(200);
  }, 120_000);

  it('stops capacity probes whose SLO is lost beyond doubt, and still finds the capacity', async () => {
    const result = await study({
      model: 'llama-3.1-8b',
      // Simulated time runs 5x faster than real time (start-up takes ~3 s); margins below are in real time.
      sim: { gpu: 'h100', numGpus: 1, timeScale: 5 },
      fixedParams: { 'max-model-len': 2048 },
      space: { 'max-num-seqs': { values: [4, 8], default: 4 } },
      // Long outputs make a request's lifetime ~3.5 s simulated (~0.7 s real). Up to 4 sequences p90 TTFT is
      // ~8 ms simulated (prefill only); past 4, requests queue for a share of a lifetime: ~950 ms at 5.
      workload: { kind: 'synthetic', inputTokens: 64, outputTokens: 480 },
      // Probes 3, 6, 4, 5: two levels within the SLO run in full, two beyond it stop early.
      load: { kind: 'capacity', by: 'concurrency', low: 3, tolerance: 0.1 },
      benchmark: { requests: 20, warmupRequests: 2 },
      // 500 ms simulated: ~98 ms of real room above the TTFT within capacity, ~90 ms below the TTFT past it.
      slo: { terms: [{ metric: 'ttft', stat: 'p90', maxMs: 500 }] },
      budget: { maxTrials: 1 },
      baseline: false,
      confirm: { top: 0, repeats: 0 },
      controller: { kind: 'local', stateDir: join(dir(), 'state-capacity') },
      journal: join(dir(), 'capacity.jsonl'),
    }).result;
    const levels = result.trials[0]?.levels ?? [];
    const over = levels.filter((l) => l.level > 4);
    expect(over.length).toBeGreaterThan(0);
    for (const l of over) expect(l.metrics.requestCount).toBeLessThan(20);
    const within = levels.filter((l) => l.level <= 4);
    expect(within.length).toBeGreaterThan(0);
    for (const l of within) expect(l.metrics.requestCount).toBe(20);
    expect(result.trials[0]?.state).toBe('complete');
    expect(result.trials[0]?.feasible).toBe(true);
  }, 120_000);

  it('refuses to overwrite a journal unless resuming', async () => {
    const journal = join(dir(), 'existing.jsonl');
    const options = { model: 'llama-3.1-8b', journal, budget: { maxTrials: 1 } };
    await study(options, { mode: 'estimate' }).result;
    const again = study(options, { mode: 'estimate' });
    await expect(again.result).rejects.toMatchObject({ code: 'ERR_JOURNAL_EXISTS' });
    expect(await readFile(journal, 'utf8')).toContain('"type":"result"');
  });
});
