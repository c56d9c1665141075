// The chart library and the chart figures: read from the installed package, inlined safely, the same for the
// report and the live page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartLibrary } from '../../../src/report/chart-library.js';
import { CHART_SCRIPT } from '../../../src/report/chart-script.js';
import { type ChartSpec, chartFigure } from '../../../src/report/chart-spec.js';
import { externalReferences, wellFormednessProblems } from './html-checks.js';

const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> })
  .dependencies['uplot'];

describe('chartLibrary', () => {
  it('is the pinned uPlot with its licence notice and no web address', () => {
    const library = chartLibrary();
    expect(library.version).toBe(pinned);
    expect(library.script).toMatch(/^\/\*! uPlot \d+\.\d+\.\d+ \(npm package uplot\)\nThe MIT License/);
    expect(library.script).toContain('Permission is hereby granted');
    expect(library.script).toContain('var uPlot=');
    expect(library.css).toContain('.uplot');
    expect(externalReferences(`<script>${library.script}</script><style>${library.css}</style>`)).toEqual([]);
    // Nothing in it can end the inline script element the report puts it in.
    expect(library.script).not.toMatch(/<\/script/i);
    expect(CHART_SCRIPT).not.toMatch(/<\/script/i);
  });
});

describe('chartFigure', () => {
  const spec: ChartSpec = {
    name: 'progress',
    title: 'a </script><script>alert(1)</script> <!-- title',
    x: { label: 'x & <y>', range: [0, 2] },
    y: { label: 'y', range: [0, 1] },
    xs: [0, 1],
    tips: ['#0: </script>', '#1'],
    series: [{ label: 'feasible', kind: 'points', color: '#000', values: [0.5, null] }],
  };

  it('carries the spec as inline JSON that no text in it can break out of', () => {
    const html = `<!DOCTYPE html><html><body>${chartFigure(spec)}</body></html>`;
    expect(wellFormednessProblems(html)).toEqual([]);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).not.toContain('<!--');
    const json = html.match(/<script type="application\/json">(.*)<\/script>/)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual(spec);
    expect(html).toContain('data-chart="progress" aria-label="a &lt;/script&gt;');
  });

  it('says what the chart would show when scripts are turned off', () => {
    const html = chartFigure({ ...spec, title: 'Best so far' });
    expect(html).toMatch(
      /<noscript><p class="muted">Best so far: drawn by the page's script, which is turned off;/,
    );
    expect(html.indexOf('<noscript>')).toBeGreaterThan(html.indexOf('</script>'));
  });
});
