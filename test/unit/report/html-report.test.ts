import { describe, expect, it } from 'vitest';
import { syntheticJournal } from '../../../bench/report/synthetic-journal.js';
import type { RequestRecord } from '../../../src/benchmark/request-record.js';
import { renderHtmlReport } from '../../../src/report/html-report.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/util/redact.js';
import { externalReferences, wellFormednessProblems } from './html-checks.js';
import { failedTrial, fixtureJournal, journalOf, trial } from './report-fixtures.js';

const chartCounts = (html: string) => {
  const counts: Record<string, number> = {};
  for (const m of html.matchAll(/data-chart="([a-z]+)"/g))
    counts[m[1] as string] = (counts[m[1] as string] ?? 0) + 1;
  return counts;
};

function parseJournalText(text: string) {
  const [first, ...rest] = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { header: first, entries: rest };
}

describe('renderHtmlReport', () => {
  it.each(['finished-study', 'interrupted-study'] as const)(
    '%s: well-formed, self-contained, every chart present',
    async (name) => {
      const html = renderHtmlReport(await fixtureJournal(name));
      expect(wellFormednessProblems(html)).toEqual([]);
      expect(externalReferences(html)).toEqual([]);
      expect(chartCounts(html)).toEqual({ progress: 1, tradeoff: 1, importance: 1, effect: 7, latency: 3 });
      expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
      expect(html).not.toMatch(/hf_[A-Za-z0-9]{10,}/);
    },
  );

  it('shows the finished study sections: exports with copy buttons, manifest, margins, comparison', async () => {
    const html = renderHtmlReport(await fixtureJournal('finished-study'));
    for (const id of ['export-argv', 'export-dockerRun', 'export-compose', 'export-kubernetes']) {
      expect(html).toContain(`<pre id="${id}">`);
      expect(html).toContain(`data-copy="${id}"`);
    }
    expect(html).toContain('Manifest of trial 27');
    expect(html).toContain('p99 TTFT &lt;= 600 ms');
    expect(html).toMatch(
      /\+\d+% maximize_throughput, \+\d+% goodput .* over the engine defaults \(trial 0\) at p99 TTFT/,
    );
    expect(html).toContain('epsilon squared');
    expect(html.match(/<tr class="/g)?.length).toBe(35);
  });

  it('flags an interrupted study', async () => {
    const html = renderHtmlReport(await fixtureJournal('interrupted-study'));
    expect(html).toContain('has no final result');
    expect(html).not.toContain('export-dockerRun');
  });

  it('escapes user text and redacts secrets', () => {
    registerSecret('s3cr3t-value-xyz');
    try {
      const evil = '<script>alert(1)</script>';
      const journal = journalOf(
        [
          trial(0, { [evil]: `"${evil}` }, 100),
          trial(1, { [evil]: 'x' }, 120),
          failedTrial(2, { [evil]: 'y' }, 'oom'),
        ],
        { model: `m${evil}`, note: 'uses s3cr3t-value-xyz and hf_abcdefghijklmnop' },
      );
      journal.header.studyId = `id${evil}`;
      const html = renderHtmlReport(journal);
      expect(html).not.toContain(evil);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('s3cr3t-value-xyz');
      expect(html).not.toContain('hf_abcdefghijklmnop');
      expect(wellFormednessProblems(html)).toEqual([]);
    } finally {
      clearRegisteredSecrets();
    }
  });

  it('renders a study with no feasible trial and no measurements', () => {
    const html = renderHtmlReport(journalOf([failedTrial(0, {}, 'oom'), failedTrial(1, { a: 1 }, 'crash')]));
    expect(html).toContain('No trial was feasible');
    expect(wellFormednessProblems(html)).toEqual([]);
    expect(html).toContain('failed: crash');
  });

  it('draws CDFs from request records when the winner and the defaults have them', async () => {
    const record = (index: number, ttft: number): RequestRecord => ({
      index,
      warmup: false,
      status: 'ok',
      sentMs: index * 10,
      firstTokenMs: index * 10 + ttft,
      tokenChunkMs: [index * 10 + ttft, index * 10 + ttft + 20, index * 10 + ttft + 40],
      endMs: index * 10 + ttft + 40,
      maxTokens: 3,
      outputTokens: 3,
      usageReported: true,
    });
    const records = (ttft: number) => Array.from({ length: 50 }, (_, i) => record(i, ttft + i));
    const html = renderHtmlReport(await fixtureJournal('finished-study'), {
      records: { 27: records(10), 0: records(40) },
    });
    expect(html).toContain('from request records');
    expect(html.match(/aria-label="[A-Za-z0-9 ]+ distribution \(ms, from request records\)"/g)).toHaveLength(
      3,
    );
    expect(html).toContain('winner (#27): 50 requests');
  });

  it('keeps a 1,000-trial report small and quick', () => {
    const journal = parseJournalText(syntheticJournal({ trials: 1000, seed: 3 }));
    const started = performance.now();
    const html = renderHtmlReport(journal);
    const elapsedMs = performance.now() - started;
    // Wide margins: the precise figures are in BENCHMARKS.md.
    expect(elapsedMs).toBeLessThan(10_000);
    expect(Buffer.byteLength(html)).toBeLessThan(3_000_000);
    const progressMarks = html
      .split('data-chart="tradeoff"')[0]
      ?.split('data-chart="progress"')[1]
      ?.match(/class="mark /g);
    expect(progressMarks?.length).toBeLessThanOrEqual(420);
    expect(wellFormednessProblems(html)).toEqual([]);
  });

  it('is deterministic', async () => {
    const journal = await fixtureJournal('finished-study');
    expect(renderHtmlReport(journal)).toBe(renderHtmlReport(journal));
  });
});

describe('renderHtmlReport for other study shapes', () => {
  it('marks the Pareto front of a two-objective study', () => {
    const objective = [{ kind: 'throughput' }, { kind: 'latency', metric: 'ttft', stat: 'p99' }];
    const withLatency = (t: ReturnType<typeof trial>, p99: number) => {
      const metrics = t.metrics && { ...t.metrics, ttftMs: { ...t.metrics.ttftMs, p99 } };
      return {
        ...t,
        metrics,
        values: [-(t.objective?.[0] ?? 0), p99],
        objective: [t.objective?.[0] ?? 0, p99],
      };
    };
    const trials = [
      withLatency(trial(0, { a: 1 }, 100), 50),
      withLatency(trial(1, { a: 2 }, 200), 80),
      withLatency(trial(2, { a: 3 }, 90), 90),
      withLatency(trial(3, { a: 4 }, 150), 60),
    ];
    const html = renderHtmlReport(journalOf(trials, { objective }));
    expect(wellFormednessProblems(html)).toEqual([]);
    expect(html).toContain('maximize output tok/s / minimize p99 ttft ms');
    const paretoTitles = [...html.matchAll(/class="mark feasible pareto[^"]*"[^>]*><title>#(\d+)/g)].map(
      (m) => m[1],
    );
    expect(paretoTitles.sort()).toEqual(['0', '1', '3']);
  });

  it('plots at most 12 parameters and says so', () => {
    const names = Array.from({ length: 14 }, (_, i) => `p${i}`);
    const trials = Array.from({ length: 6 }, (_, n) =>
      trial(n, Object.fromEntries(names.map((name, i) => [name, (n * (i + 1)) % 7])), 100 + n * 10),
    );
    const html = renderHtmlReport(journalOf(trials));
    expect(html.match(/data-chart="effect"/g)).toHaveLength(12);
    expect(html).toContain('(the 12 most important of 14)');
  });
});
