// A study of the real llama-server (Debian's build) in Docker, started with --metrics because telemetry is on:
// trial records hold the summaries of what it exports (requests processing / deferred, token counters) and the KV
// usage derived from its /slots (this build exports no KV gauge), the manifest holds the build it reports on /props,
// and the HTML report shows them in headless Chromium. A server started with --no-slots loses only KV usage, with one
// warning.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/index.js';
import { journalTrials } from '../../src/tune/journal/journal-trials.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import { tune } from '../../src/tune/study.js';
import {
  ensureTestImage,
  LLAMA_IMAGE,
  managedContainers,
  requireDocker,
} from '../integration/docker/docker-env.js';
import { buildRandomLlamaGguf } from '../support/gguf/random-llama.js';
import { HeadlessPage } from './report-cdp.js';

const CHROMIUM = '/usr/bin/chromium';
const enabled = (await requireDocker('llama-server telemetry study in Docker')) && existsSync(CHROMIUM);

describe.skipIf(!enabled)('telemetry of a llama-server study in Docker', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'llama-telemetry-'));
  const name = `e2e-llama-tel-${process.pid}`;
  const journal = path.join(dir, 'study.jsonl');
  const model = path.join(dir, 'models', 'random-llama.gguf');

  beforeAll(async () => {
    await ensureTestImage('llama-server');
    mkdirSync(path.dirname(model), { recursive: true });
    writeFileSync(model, buildRandomLlamaGguf({ weightType: 'f16' }));
  }, 600_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('records scraped summaries and the build, and the report shows them', async () => {
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (...args: unknown[]) => warnings.push(String(args.find((a) => typeof a === 'string') ?? '')),
      child: () => logger,
    };
    const result = await tune(
      {
        name,
        runtime: 'llamacpp',
        model: 'random-llama',
        modelPath: model,
        image: LLAMA_IMAGE,
        entrypoint: ['llama-server'],
        controller: { kind: 'docker' },
        gpus: 'none',
        fixedParams: { 'n-gpu-layers': 0, 'ctx-size': 1024 },
        space: { parallel: [2, 4] },
        strategy: 'grid',
        workload: { kind: 'synthetic', inputTokens: { kind: 'uniform', min: 16, max: 48 }, outputTokens: 32 },
        load: { kind: 'concurrency', levels: [6] },
        benchmark: { requests: 32, warmupRequests: 2, requestTimeoutMs: 30_000 },
        slo: { terms: [{ metric: 'ttft', stat: 'p90', maxMs: 10_000 }], maxErrorRate: 0.3 },
        budget: { maxTrials: 2 },
        confirm: { top: 0, repeats: 0 },
        telemetry: { intervalMs: 250 },
        timeouts: { startupMs: 120_000, trialMs: 300_000 },
        journal,
        seed: 1,
      },
      { logger: logger as never },
    );
    expect(result.trials).toHaveLength(3);
    const trials = journalTrials((await readJournal(journal)).entries);
    for (const trial of trials.filter((t) => t.state === 'complete')) {
      // Telemetry on: the engine was started with its metrics flag.
      expect(trial.manifest?.argv).toContain('--metrics');
      expect(trial.manifest?.engineVersion).toMatch(/^b\d+/);
      const series = trial.telemetry?.engine?.series ?? {};
      expect(trial.telemetry?.engine?.samples).toBeGreaterThanOrEqual(2);
      expect(series['running']).toMatchObject({ kind: 'gauge' });
      expect(series['waiting']).toMatchObject({ kind: 'gauge' });
      expect(
        series['generationTokens']?.kind === 'counter' && series['generationTokens'].perS,
      ).toBeGreaterThan(0);
      expect(series['llamacpp:n_busy_slots_per_decode']).toMatchObject({ kind: 'gauge' });
      // This build exports no KV usage gauge: it comes from /slots, as a share of the cache.
      expect(trial.telemetry?.engine?.kvCacheUsageFrom).toBe('/slots');
      const kv = series['kvCacheUsage'];
      expect(kv).toMatchObject({ kind: 'gauge', saturationAt: 0.95 });
      expect(kv?.kind === 'gauge' && kv.mean >= 0 && kv.max <= 1 && kv.mean <= kv.max).toBe(true);
      expect(trial.telemetry?.problems).toBeUndefined();
    }
    // With 6 requests in flight on 2 or 4 slots, some scrape saw requests processing (a scrape can land between
    // two batches, so not necessarily every trial's).
    const running = trials.map((t) => t.telemetry?.engine?.series['running']);
    expect(Math.max(...running.map((g) => (g?.kind === 'gauge' ? g.max : 0)))).toBeGreaterThan(0);
    // Likewise some reading of /slots saw a slot holding a request's tokens.
    const kvMax = trials.map((t) => t.telemetry?.engine?.series['kvCacheUsage']);
    expect(Math.max(...kvMax.map((g) => (g?.kind === 'gauge' ? g.max : 0)))).toBeGreaterThan(0);
    // A build number names no release: nothing to compare with the registry, no warning.
    expect(warnings.filter((w) => w.includes('reports version') || w.includes('telemetry'))).toEqual([]);
    expect(await managedContainers(name)).toEqual([]);

    const { path: reportPath } = await writeReport(journal, { out: path.join(dir, 'report.html') });
    await using page = await HeadlessPage.launch(CHROMIUM);
    await page.send('Page.enable');
    const loaded = page.waitFor('Page.loadEventFired');
    await page.send('Page.navigate', { url: pathToFileURL(reportPath).href });
    await loaded;
    const rows = `Array.from(document.querySelectorAll('#telemetry-table tbody tr')).map((r) => ({
      trial: r.getAttribute('data-trial'), visible: r.offsetParent !== null, text: r.innerText }))`;
    type Row = { trial: string; visible: boolean; text: string };
    const before = await page.evaluate<Row[]>(rows);
    const heads = await page.evaluate<string[]>(
      `Array.from(document.querySelectorAll('#telemetry-table th')).map((h) => h.textContent)`,
    );
    expect(heads).toEqual(
      expect.arrayContaining([
        'running mean / max',
        'waiting mean / max',
        'KV cache mean / max',
        'engine version',
      ]),
    );
    const column = (head: string) => (heads as string[]).indexOf(head);
    const cellsOf = `Array.from(document.querySelectorAll('#telemetry-table tbody tr')).map((r) => ({
      trial: r.getAttribute('data-trial'), cells: Array.from(r.cells).map((c) => c.innerText) }))`;
    const cells = await page.evaluate<Array<{ trial: string; cells: string[] }>>(cellsOf);
    const shown = before.filter((r) => r.visible);
    // The winner's and the defaults' rows are shown from the start, with the build and their gauges.
    expect(shown.map((r) => r.trial)).toContain(String(result.best?.trial));
    expect(shown.map((r) => r.trial)).toContain('0');
    for (const row of shown) {
      const rowCells = cells.find((c) => c.trial === row.trial)?.cells ?? [];
      expect(rowCells[column('engine version')]).toMatch(/^b\d+-/);
      // Running, waiting and KV usage as "mean / max" figures, not dashes; KV usage says where it came from.
      expect(rowCells[column('running mean / max')]).toMatch(/^[\d.]+ \/ [\d.]+$/);
      expect(rowCells[column('waiting mean / max')]).toMatch(/^[\d.]+ \/ [\d.]+$/);
      expect(rowCells[column('KV cache mean / max')]).toMatch(/^[\d.]+% \/ [\d.]+%.* \(from \/slots\)$/);
    }
    const hidden = before.find((r) => !r.visible);
    expect(hidden).toBeDefined();
    await page.evaluate(
      `document.querySelector('#trials-table tbody tr[data-trial="${hidden?.trial}"] td').click()`,
    );
    const after = await page.evaluate<Row[]>(rows);
    expect(after.find((r) => r.trial === hidden?.trial)?.visible).toBe(true);
  }, 480_000);

  it('a server started with --no-slots: the trial completes with its metrics, one warning names /slots', async () => {
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (...args: unknown[]) => warnings.push(String(args.find((a) => typeof a === 'string') ?? '')),
      child: () => logger,
    };
    const noSlotsJournal = path.join(dir, 'no-slots.jsonl');
    const result = await tune(
      {
        name: `${name}-ns`,
        runtime: 'llamacpp',
        model: 'random-llama',
        modelPath: model,
        image: LLAMA_IMAGE,
        entrypoint: ['llama-server'],
        controller: { kind: 'docker' },
        gpus: 'none',
        fixedParams: { 'n-gpu-layers': 0, 'ctx-size': 1024, slots: false },
        space: { parallel: [2] },
        strategy: 'grid',
        workload: { kind: 'synthetic', inputTokens: { kind: 'uniform', min: 16, max: 48 }, outputTokens: 32 },
        load: { kind: 'concurrency', levels: [4] },
        benchmark: { requests: 16, warmupRequests: 1, requestTimeoutMs: 30_000 },
        slo: { terms: [{ metric: 'ttft', stat: 'p90', maxMs: 10_000 }], maxErrorRate: 0.3 },
        budget: { maxTrials: 1 },
        baseline: false,
        confirm: { top: 0, repeats: 0 },
        telemetry: { intervalMs: 250 },
        timeouts: { startupMs: 120_000, trialMs: 300_000 },
        journal: noSlotsJournal,
        seed: 1,
      },
      { logger: logger as never },
    );
    expect(result.trials).toHaveLength(1);
    const [trial] = journalTrials((await readJournal(noSlotsJournal)).entries);
    expect(trial?.state).toBe('complete');
    expect(trial?.manifest?.argv).toEqual(expect.arrayContaining(['--no-slots', '--metrics']));
    expect(trial?.telemetry?.engine?.series['running']).toMatchObject({ kind: 'gauge' });
    expect(trial?.telemetry?.engine?.series['kvCacheUsage']).toBeUndefined();
    expect(trial?.telemetry?.problems).toEqual([
      expect.stringMatching(/^KV usage from \/slots: 1 of 1 reads of \S+ failed \(first: HTTP 501\)$/),
    ]);
    expect(warnings.filter((w) => w.includes('telemetry incomplete'))).toHaveLength(1);
    expect(await managedContainers(`${name}-ns`)).toEqual([]);
  }, 300_000);
});
