import { describe, expect, it } from 'vitest';
import { renderMarkdownSummary } from '../../../src/report/markdown-summary.js';
import { failedTrial, fixtureJournal, journalOf, trial } from './report-fixtures.js';

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
    expect(markdown).toContain('+50.0% maximize_throughput');
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
      'The engine defaults (trial 0) broke the SLO (p99 ttft <= 500 ms); the winner meets it. The winner: +50.0% maximize_throughput',
    ],
    [
      'failed',
      { ...failedTrial(0, {}, 'oom'), phase: 'baseline' as const },
      'The engine defaults (trial 0) failed (oom); the winner meets it.',
    ],
    [
      'feasible',
      trial(0, {}, 100, { phase: 'baseline' }),
      '+50.0% maximize_throughput over the engine defaults (trial 0) at p99 TTFT 150 ms (defaults: 150 ms).',
    ],
  ])('compares with %s defaults', (_name, baseline, sentence) => {
    const slo = { terms: [{ metric: 'ttft', stat: 'p99', maxMs: 500 }] };
    const markdown = renderMarkdownSummary(journalOf([baseline, trial(1, { a: 1 }, 150)], { slo }));
    expect(markdown).toContain(sentence);
  });

  it('says when nothing was feasible', () => {
    const markdown = renderMarkdownSummary(journalOf([failedTrial(0, {}, 'oom')]));
    expect(markdown).toContain('**No feasible configuration was found.**');
    expect(markdown).toContain('1 failed (oom 1)');
  });
});
