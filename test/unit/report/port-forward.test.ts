// A study measured through a Kubernetes API-server port-forward says so, and what it does to the numbers, in the
// Markdown summary, the HTML report and the recommendation's caveats; a study measured in the cluster does not.
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html-report.js';
import { renderMarkdownSummary } from '../../../src/report/markdown-summary.js';
import { recommend } from '../../../src/tune/recommend.js';
import { journalOf, trial } from './report-fixtures.js';

const NOTE = /adds latency to each TTFT and ITL sample and caps throughput/;

describe('port-forwarded measurements', () => {
  const forwarded = [
    trial(0, {}, 100, { phase: 'baseline', via: 'port-forward' }),
    trial(1, { a: 1 }, 150, { via: 'port-forward' }),
    trial(2, { a: 2 }, 120, { via: 'port-forward' }),
  ];

  it('are counted and explained in the summary and the report', () => {
    const journal = journalOf(forwarded);
    const markdown = renderMarkdownSummary(journal);
    expect(markdown).toMatch(/3 of 3 runs were measured through a Kubernetes API-server port-forward/);
    expect(markdown).toMatch(NOTE);
    const html = renderHtmlReport(journal);
    expect(html).toContain('<th scope="row">reached through</th><td>port-forward</td>');
    expect(html).toMatch(NOTE);
  });

  it('make a caveat of the recommendation', () => {
    const { record, caveats } = recommend(forwarded, undefined, 'maximize', 'throughput');
    expect(record?.number).toBe(1);
    expect(caveats.join('\n')).toMatch(/Trial 1 was measured through a Kubernetes API-server port-forward/);
  });

  it('say nothing when the tuner measured inside the cluster', () => {
    const inside = forwarded.map((t) => ({ ...t, via: 'service' as const }));
    expect(renderMarkdownSummary(journalOf(inside))).not.toMatch(NOTE);
    expect(renderHtmlReport(journalOf(inside))).toContain('<td>service</td>');
    expect(recommend(inside, undefined, 'maximize', 'throughput').caveats.join('\n')).not.toMatch(NOTE);
  });
});
