// Telemetry of real simulated-engine processes through the local controller: the imitated engine's own metric
// names scraped during each benchmark, a KV-cache overload diagnosed as such, the engine's reported version in
// the manifest, raw records beside the journal, and engines whose /metrics fails leaving their trials intact.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { journalTrials } from '../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { study } from '../../src/tune/study.js';
import type { TuneOptions } from '../../src/tune/tune-options.js';
import { type MetricsFault, MetricsFaultController } from '../support/metrics-fault-controller.js';
import { scratchDir } from '../support/scratch-dir.js';

const dir = scratchDir('study-telemetry-');

function captureLogger() {
  const warnings: string[] = [];
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => warnings.push(String(args.find((a) => typeof a === 'string') ?? '')),
    child: () => logger,
  };
  return { warnings, logger: logger as never };
}

// One trial whose 48 long prompts at concurrency 48 overflow the KV cache half the GPU memory leaves.
function overload(name: string, engine: 'vllm' | 'sglang', extra: Partial<TuneOptions> = {}): TuneOptions {
  return {
    name,
    model: 'llama-3.1-8b',
    engine,
    sim: { gpu: 'a100-40gb', timeScale: 20 },
    fixedParams:
      engine === 'vllm'
        ? { 'gpu-memory-utilization': 0.5, 'max-model-len': 8192 }
        : { 'mem-fraction-static': 0.45, 'context-length': 8192 },
    space: engine === 'vllm' ? { 'max-num-seqs': [256] } : { 'max-running-requests': [256] },
    strategy: 'grid',
    workload: { kind: 'synthetic', inputTokens: 3000, outputTokens: 400 },
    load: { kind: 'concurrency', levels: [48] },
    benchmark: { requests: 48, warmupRequests: 0 },
    budget: { maxTrials: 1 },
    confirm: { top: 0, repeats: 0 },
    baseline: false,
    controller: { kind: 'local', stateDir: join(dir(), `${name}-state`) },
    journal: join(dir(), `${name}.jsonl`),
    ...extra,
  };
}

describe('telemetry of simulated engines', () => {
  it('vLLM flavour: scrapes vLLM names, diagnoses the KV overload, records the reported version once warned', async () => {
    const { warnings, logger } = captureLogger();
    const options = overload('tel-vllm', 'vllm', {
      // The server says it is another release than the flag registry the parameters were checked against.
      fixedParams: { 'gpu-memory-utilization': 0.5, 'max-model-len': 8192, 'engine-version': '0.11.0' },
      telemetry: { writeRecords: true },
    });
    const result = await study(options, { logger }).result;
    const [trial] = journalTrials((await readJournal(options.journal as string)).entries);
    expect(trial?.state).toBe('complete');
    const series = trial?.telemetry?.engine?.series ?? {};
    expect(trial?.telemetry?.engine?.samples).toBeGreaterThanOrEqual(3);
    expect(series['kvCacheUsage']).toMatchObject({ kind: 'gauge', saturationAt: 0.95 });
    expect(series['kvCacheUsage']?.kind === 'gauge' && series['kvCacheUsage'].max).toBeGreaterThanOrEqual(
      0.95,
    );
    expect(series['preemptions']?.kind === 'counter' && series['preemptions'].delta).toBeGreaterThan(0);
    expect(series['running']).toMatchObject({ kind: 'gauge' });
    expect(series['waiting']?.kind === 'gauge' && series['waiting'].max).toBeGreaterThan(0);
    expect(series['generationTokens']?.kind === 'counter' && series['generationTokens'].perS).toBeGreaterThan(
      0,
    );
    expect(series['vllm:request_success_total']).toMatchObject({ kind: 'counter' });
    expect(trial?.diagnosis?.[0]).toMatch(
      /^KV cache >= 95% for \d+% of the run, \d+ preemptions: --max-num-seqs too high for this memory$/,
    );
    expect(trial?.telemetry?.problems).toBeUndefined();
    expect(trial?.manifest?.engineVersion).toBe('0.11.0');
    expect(trial?.manifest?.registryVersion).toContain('0.22.0');
    expect(warnings.filter((w) => w.includes('reports version 0.11.0'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('telemetry'))).toEqual([]);
    expect(result.trials[0]?.diagnosis).toEqual(trial?.diagnosis);
    const records = `${options.journal}.records`;
    expect(readdirSync(records)).toEqual(['trial-0-level-48.jsonl']);
  }, 120_000);

  it("SGLang flavour: scrapes SGLang's names (token usage, retractions, cache hit rate) and its version", async () => {
    const options = overload('tel-sglang', 'sglang');
    await study(options, { logger: captureLogger().logger }).result;
    const [trial] = journalTrials((await readJournal(options.journal as string)).entries);
    const engine = trial?.telemetry?.engine;
    expect(Object.keys(engine?.series ?? {})).toEqual(
      expect.arrayContaining(['running', 'waiting', 'kvCacheUsage', 'preemptions', 'prefixCacheHitRate']),
    );
    expect(engine?.prefixCacheHitRate).toBeDefined();
    const kv = engine?.series['kvCacheUsage'];
    expect(kv?.kind === 'gauge' && kv.max).toBeGreaterThanOrEqual(0.95);
    expect(trial?.diagnosis?.[0]).toMatch(/KV cache|preemptions/);
    expect(trial?.manifest?.engineVersion).toBe('inference-sim');
    expect(existsSync(`${options.journal}.records`)).toBe(false);
  }, 120_000);

  it('capacity search: the probe that represents the trial brings its telemetry', async () => {
    const options: TuneOptions = {
      ...overload('tel-capacity', 'vllm'),
      fixedParams: { 'max-model-len': 4096 },
      workload: { kind: 'synthetic', inputTokens: 512, outputTokens: 64 },
      load: { kind: 'capacity', by: 'concurrency', low: 4, high: 64, tolerance: 0.25 },
      benchmark: { requests: 32, warmupRequests: 0 },
      slo: { terms: [{ metric: 'tpot', stat: 'p90', maxMs: 40 }] },
    };
    const result = await study(options, { logger: captureLogger().logger }).result;
    const trial = result.trials[0];
    expect(trial?.state).toBe('complete');
    expect(trial?.levels?.length).toBeGreaterThan(1);
    expect(trial?.telemetry?.engine?.series['running']).toMatchObject({ kind: 'gauge' });
    expect(trial?.telemetry?.problems).toBeUndefined();
  }, 120_000);

  it.each(['404', 'garbage', 'hang'] as const)(
    'an engine whose /metrics answers %s: the trial completes, one warning, no connection left open',
    async (fault: MetricsFault) => {
      const { warnings, logger } = captureLogger();
      const controller = new MetricsFaultController(
        new LocalController({ stateDir: join(dir(), `fault-${fault}-state`) }),
        fault,
      );
      const options: TuneOptions = {
        ...overload(`tel-fault-${fault}`, 'vllm'),
        fixedParams: { 'max-model-len': 4096 },
        workload: { kind: 'synthetic', inputTokens: 128, outputTokens: 32 },
        load: { kind: 'concurrency', levels: [4, 8] },
        benchmark: { requests: 24, warmupRequests: 2 },
      };
      const result = await study(options, { controller, logger }).result;
      const trial = result.trials[0];
      expect(trial?.state).toBe('complete');
      expect(trial?.metrics?.requestCount).toBe(24);
      expect(trial?.telemetry?.engine).toBeUndefined();
      expect(trial?.telemetry?.problems?.join(' ')).toMatch(/engine metrics: \d+ of \d+ scrapes/);
      // Two levels, one warning for the trial.
      expect(warnings.filter((w) => w.includes('telemetry incomplete'))).toHaveLength(1);
      expect(controller.proxies).toHaveLength(1);
      expect(controller.proxies[0]?.metricsRequests).toBeGreaterThan(0);
      expect(controller.proxies[0]?.openAtStop).toBe(0);
    },
    120_000,
  );
});
