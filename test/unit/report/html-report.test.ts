import { describe, expect, it } from 'vitest';
import { syntheticJournal } from '../../../bench/report/synthetic-journal.js';
import type { RequestRecord } from '../../../src/benchmark/request-record.js';
import type { ChartSpec } from '../../../src/report/chart-spec.js';
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

// The charts the page draws, from the specs it carries (the chart script draws exactly these).
const chartSpecs = (html: string): ChartSpec[] =>
  [
    ...html.matchAll(
      /<figure class="chart" data-chart="[a-z]+"[^>]*><script type="application\/json">(.*?)<\/script>/g,
    ),
  ].map((m) => JSON.parse(m[1] as string) as ChartSpec);
const chartNamed = (html: string, name: string): ChartSpec => {
  const spec = chartSpecs(html).find((s) => s.name === name);
  if (!spec) throw new Error(`no ${name} chart`);
  return spec;
};
// The trial each point of a series shows when pointed at (`#n: ...`).
const pointsOf = (spec: ChartSpec, label: string): string[] =>
  spec.series
    .find((s) => s.label === label)
    ?.values.flatMap((v, i) => (v === null ? [] : [spec.tips[i] as string])) ?? [];

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
    const progress = chartNamed(html, 'progress');
    expect(progress.xs.length).toBeGreaterThan(300);
    expect(progress.xs.length).toBeLessThanOrEqual(400);
    expect(progress.series.every((s) => s.values.length === progress.xs.length)).toBe(true);
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
    const tradeoff = chartNamed(html, 'tradeoff');
    const ringed = pointsOf(tradeoff, 'Pareto set of the study').map((tip) => tip.split(':')[0]);
    expect(ringed.sort()).toEqual(['#0', '#1', '#3']);
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

describe('renderHtmlReport: the comparison with the defaults and the report edges', () => {
  const cardOf = (html: string, label: string) =>
    html.match(new RegExp(`<span class="muted">${label}</span><b>([^<]*)</b>`))?.[1];

  it('says plainly to keep the engine defaults when nothing beat them beyond noise', () => {
    const journal = journalOf([
      trial(0, {}, 100, { phase: 'baseline' }),
      trial(1, { a: 1 }, 112),
      trial(2, {}, 101, { phase: 'confirm', confirmOf: 0 }),
      trial(3, { a: 1 }, 99, { phase: 'confirm', confirmOf: 1 }),
      trial(4, {}, 98, { phase: 'confirm', confirmOf: 0 }),
      trial(5, { a: 1 }, 102, { phase: 'confirm', confirmOf: 1 }),
    ]);
    const html = renderHtmlReport(journal);
    expect(html).toContain('<h2 id="winner">Recommendation: keep the engine defaults</h2>');
    expect(cardOf(html, 'vs defaults')).toBe('keep defaults: +1.0%, within noise');
    expect(html).toMatch(
      /<p class="verdict"><b>Keep the engine defaults: the best tuned configuration \(trial 1\)/,
    );
    expect(html).toContain('<h3>Against the engine defaults</h3>');
    expect(html).toContain('<td>#3, #5</td>');
    expect(cardOf(html, 'recommended: engine defaults')).toBe('100 (trial 0)');
    expect(html).toContain('Latency distributions: best tuned configuration vs defaults');
    expect(html).toContain('best tuned (#1)');
    expect(html).toContain('defaults (#0), recommended');
    expect(wellFormednessProblems(html)).toEqual([]);
  });

  it('the card and the sentence come from one comparison (no "-" beside a percentage)', () => {
    const slo = { terms: [{ metric: 'ttft', stat: 'p99', maxMs: 500 }] };
    const html = renderHtmlReport(
      journalOf(
        [
          trial(0, {}, 100, { phase: 'baseline', feasible: false, constraints: [0.3] }),
          trial(1, { a: 1 }, 150),
        ],
        { slo },
      ),
    );
    expect(cardOf(html, 'vs defaults')).toBe('defaults broke the SLO');
    expect(html).toContain('The engine defaults broke the SLO in 1 of 1 runs; trial 1 meets it (+50.0%');
  });

  it('shows the interval a finished study journaled, the whole wall time after a resume, and client-bound runs', () => {
    const limited = { clientLimited: ['p99 event-loop delay 25.0 ms over 10 ms'] };
    const journal = journalOf([trial(0, {}, 100, { phase: 'baseline' }), trial(1, { a: 1 }, 130, limited)]);
    const best = trial(1, { a: 1 }, 130, limited);
    journal.entries.push({
      type: 'result',
      stopReason: 'budget',
      objectiveNames: ['maximize_throughput'],
      directions: ['maximize'],
      best: {
        trial: 1,
        params: { a: 1 },
        objective: [130],
        tiedWith: [],
        record: best,
        exports: {
          argv: 'serve --a 1',
          dockerRun: 'docker run x',
          compose: 'services: {}',
          kubernetes: 'kind: Deployment',
        },
        caveats: ['1 of 3 runs of trial 1 (#1) were paced by the benchmark client, not the server.'],
      },
      pareto: [1],
      defaults: {
        defaultsTrial: 0,
        defaultsFeasible: true,
        improvement: 0.3,
        interval: { low: 0.21, high: 0.39, confidence: 0.95 },
        verdict: 'better',
        keepDefaults: false,
        tunedTrial: 1,
        tunedRuns: { trials: [3, 5], mean: 130, sd: 1 },
        defaultsRuns: { trials: [2, 4], mean: 100, sd: 1 },
        summary:
          'Trial 1 beats the engine defaults beyond noise: +30.0% maximize_throughput (95% interval +21.0% to +39.0%).',
      },
      elapsedMs: 8,
      totalElapsedMs: 250_000,
    } as never);
    const html = renderHtmlReport(journal);
    expect(cardOf(html, 'vs defaults')).toBe('+30.0% (95%: +21.0% to +39.0%)');
    expect(html).toContain('Trial 1 beats the engine defaults beyond noise: +30.0% maximize_throughput');
    expect(cardOf(html, 'wall time \\(all runs\\)')).toBe('4.2 min (last run 8 ms)');
    expect(html).toContain('<div class="banner caveat"><b>Caveat:</b> 1 of 3 runs of trial 1');
    expect(html).toContain(
      'title="paced by the benchmark client: p99 event-loop delay 25.0 ms over 10 ms">feasible, client-bound</td>',
    );
    expect(html).toContain('<h2 id="exports">Run the winner</h2>');
  });

  it('labels the last run of an older journal that was resumed, instead of passing it off as the study', () => {
    // Trials spanning 2 minutes, and a result saying the (last) run took 8 ms.
    const journal = journalOf([
      trial(0, {}, 100, {
        phase: 'baseline',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:01:00.000Z',
      }),
      trial(1, { a: 1 }, 130, {
        startedAt: '2026-01-01T00:01:00.000Z',
        finishedAt: '2026-01-01T00:02:00.000Z',
      }),
    ]);
    journal.entries.push({
      type: 'result',
      stopReason: 'budget',
      objectiveNames: ['maximize_throughput'],
      directions: ['maximize'],
      pareto: [],
      elapsedMs: 8,
    } as never);
    expect(cardOf(renderHtmlReport(journal), 'trial time \\(all runs\\)')).toBe('2.0 min (last run 8 ms)');
  });

  it('says what the trials used beside the options, whose defaults are not what a trial took', () => {
    const journal = journalOf(
      [
        trial(0, {}, 100, { phase: 'baseline' }),
        trial(1, { a: 1 }, 130),
        trial(2, { a: 2 }, 120, { worldSize: 2 }),
      ],
      { sim: { gpu: 'h100', numGpus: 8, timeScale: 1 } },
    );
    const html = renderHtmlReport(journal);
    expect(html).toContain('<th scope="row">GPUs per trial</th><td>1 GPU: 2 trials, 2 GPUs: 1 trial</td>');
    expect(html).toContain(
      'numGpus: 8 # GPUs of the simulated host (virtual), not per trial; trials used 1 GPU: 2 trials, 2 GPUs: 1 trial',
    );
  });

  it('draws throughput from zero, and pruned trials apart from crashed ones, each in the legend', () => {
    const pruned = trial(3, { a: 3 }, 40, { state: 'pruned', feasible: false, constraints: [0.5] });
    const html = renderHtmlReport(
      journalOf([
        trial(0, { a: 0 }, 1000),
        trial(1, { a: 1 }, 1020),
        failedTrial(2, { a: 2 }, 'crash'),
        pruned,
      ]),
    );
    expect(chartNamed(html, 'tradeoff').y.range[0]).toBe(0);
    const progress = chartNamed(html, 'progress');
    expect(progress.y.range[0]).toBe(0);
    expect(pointsOf(progress, 'failed: crash')).toEqual([expect.stringMatching(/^#2: /)]);
    expect(pointsOf(progress, 'pruned: SLO lost early')).toEqual([expect.stringMatching(/^#3: /)]);
    expect(pointsOf(progress, 'feasible').map((tip) => tip.split(':')[0])).toEqual(['#0']);
    expect(pointsOf(progress, 'winner').map((tip) => tip.split(':')[0])).toEqual(['#1']);
    expect(progress.series.map((s) => s.label)).toEqual([
      'feasible',
      'misses the SLO',
      'winner',
      'failed: crash',
      'pruned: SLO lost early',
      'best so far',
    ]);
  });
});

describe('trials table', () => {
  it('labels each repair by the step its note names, the note itself as the tooltip', () => {
    const params = (seqs: number) => ({ 'max-num-seqs': seqs });
    const repair = (note: string) => ({ origin: { kind: 'repair' as const, note } });
    const html = renderHtmlReport(
      journalOf([
        trial(0, params(256), 900, { origin: { kind: 'defaults' } }),
        trial(
          1,
          params(128),
          1000,
          repair('SLO repair of trial 0 (tpot 40% over the SLO): max-num-seqs 256 -> 128'),
        ),
        trial(
          2,
          params(64),
          800,
          repair(
            'safety step of trial 1 (within the SLO by less than the measurement noise: tpot 2% under, judged with its neighbours): max-num-seqs 128 -> 64',
          ),
        ),
        trial(
          3,
          params(32),
          700,
          repair('memory repair of trial 0 (out of memory at start-up): max-num-seqs 256 -> 32'),
        ),
        trial(
          4,
          params(16),
          600,
          repair('with the defaults in case they run out of memory at start-up: max-num-seqs 256 -> 16'),
        ),
        trial(5, params(8), 500, { origin: { kind: 'repair' } }),
      ]),
    );
    expect(html).toContain('>search: engine defaults</td>');
    expect(html).toMatch(/title="SLO repair of trial 0 [^"]*">search: SLO repair<\/td>/);
    expect(html).toMatch(/title="safety step of trial 1 [^"]*">search: safety step<\/td>/);
    expect(html).toMatch(/title="memory repair of trial 0 [^"]*">search: memory repair<\/td>/);
    expect(html).toMatch(/title="with the defaults in case [^"]*">search: repair<\/td>/);
    // A journal of an older library records a repair without its note: SLO repair was the only one.
    expect(html).toContain('<td>search: SLO repair</td>');
  });
});
