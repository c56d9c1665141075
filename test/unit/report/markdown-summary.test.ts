import { describe, expect, it } from 'vitest';
import { renderMarkdownSummary } from '../../../src/report/markdown-summary.js';
import { failedTrial, fixtureJournal, journalOf, refusedTrial, trial } from './report-fixtures.js';

describe('renderMarkdownSummary', () => {
  it.each(['finished-study', 'interrupted-study'] as const)('%s matches its golden file', async (name) => {
    const markdown = renderMarkdownSummary(await fixtureJournal(name));
    await expect(markdown).toMatchFileSnapshot(`./golden/${name}.md`);
  });

  it('escapes table cells and fences the command', () => {
    const manifest = {
      runtime: 'sim',
      command: 'echo',
      argv: ['```', 'done'],
      env: {},
      gpus: [],
      controller: 'local',
      workload: {},
      load: {},
      seed: 0,
      library: { name: 'x', version: '0' },
    };
    const journal = journalOf([
      trial(0, {}, 100, { phase: 'baseline' }),
      trial(1, { 'a|b': 'x|y\nz' }, 150, { manifest }),
    ]);
    const markdown = renderMarkdownSummary(journal);
    expect(markdown).toContain('| a\\|b      | x\\|y z |');
    expect(markdown).toContain("````sh\necho '```' done\n````");
    expect(markdown).toContain(
      'Trial 1 measured +50.0% maximize_throughput over the engine defaults (150 vs 100)',
    );
  });

  it.each([
    [{ top: 1 }, 1],
    [{ top: 3 }, 3],
  ])('lists the top trials (%o)', (options, rows) => {
    const journal = journalOf([
      trial(0, {}, 100),
      trial(1, { a: 1 }, 150),
      trial(2, { a: 2 }, 90),
      failedTrial(3, { a: 3 }, 'oom'),
    ]);
    const markdown = renderMarkdownSummary(journal, options);
    const table = markdown.split(/\| # +\|/)[1] ?? '';
    expect(table.split('\n').filter((l) => /^\| \d+ +\|/.test(l))).toHaveLength(rows);
    expect(table.split('\n').find((l) => /^\| \d+ +\|/.test(l))).toMatch(/^\| 1 +\| 150 +\|/);
  });

  it.each([
    [
      'infeasible',
      trial(0, {}, 100, { phase: 'baseline', feasible: false, constraints: [0.3] }),
      "The engine defaults broke the SLO in 1 of 1 runs; trial 1 meets it (+50.0% maximize_throughput, 150 vs 100). The defaults' first run broke p99 ttft <= 500 ms.",
    ],
    [
      'failed',
      { ...failedTrial(0, {}, 'oom'), phase: 'baseline' as const },
      'The engine defaults failed (oom); trial 1 meets the SLO.',
    ],
    [
      'feasible',
      trial(0, {}, 100, { phase: 'baseline' }),
      'Trial 1 measured +50.0% maximize_throughput over the engine defaults (150 vs 100) on single runs: without two confirmation runs of each this cannot be told from noise. Trial 1 against the engine defaults (trial 0), first runs: p99 TTFT 150 ms (defaults: 150 ms).',
    ],
  ])('compares with %s defaults', (_name, baseline, sentence) => {
    const slo = { terms: [{ metric: 'ttft', stat: 'p99', maxMs: 500 }] };
    const markdown = renderMarkdownSummary(journalOf([baseline, trial(1, { a: 1 }, 150)], { slo }));
    expect(markdown).toContain(sentence);
    expect(markdown).toContain('**Winner: trial 1**');
  });

  it('says plainly to keep the engine defaults when the winner is within noise of them, with the numbers', () => {
    const journal = journalOf([
      trial(0, {}, 100, { phase: 'baseline' }),
      trial(1, { a: 1 }, 112),
      trial(2, { a: 2 }, 90),
      trial(3, {}, 101, { phase: 'confirm', confirmOf: 0 }),
      trial(4, { a: 1 }, 99, { phase: 'confirm', confirmOf: 1 }),
      trial(5, {}, 98, { phase: 'confirm', confirmOf: 0 }),
      trial(6, { a: 1 }, 102, { phase: 'confirm', confirmOf: 1 }),
    ]);
    const markdown = renderMarkdownSummary(journal);
    expect(markdown).toContain('**Recommendation: keep the engine defaults** (trial 0)');
    expect(markdown).toMatch(
      /Keep the engine defaults: the best tuned configuration \(trial 1\) measured \+1\.0% maximize_throughput, within noise \(95% interval -\d+\.\d% to \+\d+\.\d%; 101 vs 99\.5 over 2 and 2 interleaved runs\)\./,
    );
    expect(markdown).not.toContain('**Winner');
  });

  it('marks client-bound runs and puts the caveat next to the winner', () => {
    const limited = { clientLimited: ['p99 send lag 31.0 ms over 10 ms'] };
    const journal = journalOf([trial(0, {}, 100, { phase: 'baseline' }), trial(1, { a: 1 }, 150, limited)]);
    const markdown = renderMarkdownSummary(journal);
    expect(markdown).toContain(
      '> **Caveat:** 1 of 1 runs of trial 1 (#1) were paced by the benchmark client, not the server (p99 send lag 31.0 ms over 10 ms): its figures may understate the server.',
    );
    expect(markdown).toContain('feasible, client-bound, winner');
    expect(markdown).toContain('1 of 2 runs were paced by the benchmark client');
  });

  it('says when nothing was feasible', () => {
    const markdown = renderMarkdownSummary(journalOf([failedTrial(0, {}, 'oom')]));
    expect(markdown).toContain('**No feasible configuration was found.**');
    expect(markdown).toContain('1 failed (oom 1)');
  });

  it('counts a layout refused before launch apart from the trials that failed', () => {
    const refused = refusedTrial(2, { 'tensor-parallel-size': 4 });
    const markdown = renderMarkdownSummary(
      journalOf([trial(0, {}, 100), failedTrial(1, {}, 'oom'), refused]),
    );
    expect(markdown).toContain("1 failed (oom 1), 1 not launched (wider than the study's GPUs).");
    // The header counts the search trials that ran.
    expect(markdown).toContain('2 search trials + 0 confirmation runs');
  });
});
