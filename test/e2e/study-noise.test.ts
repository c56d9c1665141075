import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalController } from '../../src/controllers/local/local-controller.js';
import { renderMarkdownSummary } from '../../src/report/markdown-summary.js';
import { readJournal } from '../../src/tune/journal/read-journal.js';
import type { TuneOptionsInput } from '../../src/tune/options-schema.js';
import { tune } from '../../src/tune/study.js';
import { scratchDir } from '../support/scratch-dir.js';

const dir = scratchDir('study-noise-');

const options = (name: string): TuneOptionsInput => ({
  name,
  model: 'llama-3.1-8b',
  sim: { gpu: 'a100-40gb', timeScale: 10, noiseCv: 0.1 },
  fixedParams: { 'max-model-len': 4096 },
  space: { 'max-num-seqs': [1] },
  strategy: 'grid',
  workload: { kind: 'synthetic', inputTokens: 128, outputTokens: 32 },
  load: { kind: 'concurrency', levels: [8] },
  benchmark: { requests: 48, warmupRequests: 2 },
  objective: { kind: 'latency', metric: 'e2e', stat: 'p50' },
  budget: { maxTrials: 1 },
  confirm: { top: 1, repeats: 3 },
  controller: { kind: 'local', stateDir: join(dir(), 'state') },
  journal: join(dir(), `${name}.jsonl`),
  seed: 5,
});

describe('a study whose space cannot beat the engine defaults', () => {
  it('re-measures the defaults beside the winner, recommends keeping them with an interval, and says the same twice', async () => {
    const first = await tune(options('noise-a'));
    const phases = first.trials.map((t) => `${t.phase}${t.confirmOf === undefined ? '' : `:${t.confirmOf}`}`);
    // The defaults (trial 0) and the best tuned configuration (trial 1) alternate, three runs each.
    expect(phases).toEqual([
      'baseline',
      'search',
      'confirm:0',
      'confirm:1',
      'confirm:0',
      'confirm:1',
      'confirm:0',
      'confirm:1',
    ]);
    const measured = JSON.stringify(first.trials.map((t) => [t.number, t.objective?.[0], t.clientLimited]));
    for (const trial of first.trials) expect(trial.state, JSON.stringify(trial.failure)).toBe('complete');

    const comparison = first.defaults;
    expect(comparison, measured).toMatchObject({
      defaultsTrial: 0,
      defaultsFeasible: true,
      keepDefaults: true,
      verdict: 'worse',
      tunedTrial: 1,
      tunedRuns: { trials: [3, 5, 7] },
      defaultsRuns: { trials: [2, 4, 6] },
    });
    expect(comparison?.interval?.confidence).toBe(0.95);
    expect(comparison?.interval?.high).toBeLessThan(0);
    expect(comparison?.improvement).toBeLessThan(0);
    expect(comparison?.summary).toMatch(
      /^Keep the engine defaults: the best tuned configuration \(trial 1\) measured -\d+(\.\d)?% minimize p50 e2e ms, worse beyond noise \(95% interval -/,
    );
    // The recommendation is the defaults' own record, and its export sets none of the tuned flags.
    expect(first.best?.trial).toBe(0);
    expect(first.best?.record.phase).toBe('baseline');
    expect(first.best?.exports.argv).not.toContain('--max-num-seqs');
    expect(first.best?.exports.argv).toContain('--max-model-len 4096');
    expect(first.best?.confirmedMean).toBeGreaterThan(0);
    expect(first.totalElapsedMs).toBe(first.elapsedMs);

    const markdown = renderMarkdownSummary(await readJournal(first.journalPath));
    expect(markdown).toContain('**Recommendation: keep the engine defaults** (trial 0)');
    expect(markdown).toContain(comparison?.summary);
    expect(markdown).toContain('Run the engine defaults:');

    const second = await tune(options('noise-b'));
    const again = JSON.stringify(second.trials.map((t) => [t.number, t.objective?.[0], t.clientLimited]));
    expect(second.defaults?.verdict, again).toBe(first.defaults?.verdict);
    expect(second.defaults?.keepDefaults).toBe(true);
    expect(second.best?.trial).toBe(0);
    expect(await new LocalController({ stateDir: join(dir(), 'state') }).running()).toEqual([]);
  }, 300_000);
});
