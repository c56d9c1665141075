import { describe, expect, it } from 'vitest';
import { downsample } from '../../../src/report/downsample.js';
import { formatDuration, formatNumber, formatPercent } from '../../../src/report/format-number.js';
import { escapeHtml, scriptJson } from '../../../src/report/html-escape.js';
import { logTicks, niceTicks, paddedDomain } from '../../../src/report/svg-plot.js';

describe('formatting', () => {
  it.each([
    [undefined, '-'],
    [Number.NaN, '-'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [0, '0'],
    [0.000_12, '1.2e-4'],
    [0.123_456, '0.123'],
    [15.678, '15.7'],
    [12_007.4, '12007'],
    [2_500_000, '2.50M'],
  ])('formatNumber(%s) = %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it.each([
    [0.352, '+35.2%'],
    [-0.05, '-5.0%'],
    [1.93, '+193%'],
    [undefined, '-'],
  ])('formatPercent(%s) = %s', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });

  it.each([
    [850, '850 ms'],
    [12_300, '12.3 s'],
    [252_000, '4.2 min'],
    [5_400_000, '1.5 h'],
  ])('formatDuration(%s) = %s', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });
});

describe('escaping', () => {
  it.each([
    ['<b>"x" & \'y\'</b>', '&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;'],
    ['plain', 'plain'],
  ])('escapeHtml(%s)', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
  });

  it('scriptJson cannot close a script element', () => {
    const json = scriptJson({ a: '</script><!--' });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ a: '</script><!--' });
  });
});

describe('scales', () => {
  it.each([
    [0, 10, [0, 2, 4, 6, 8, 10]],
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [95, 130, [100, 110, 120, 130]],
    [5, 5, [5]],
  ])('niceTicks(%s, %s)', (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });

  it('logTicks covers decades with 1-2-5 steps', () => {
    expect(logTicks(8, 600)).toEqual([10, 20, 50, 100, 200, 500]);
  });

  it.each([
    [[], [0, 1]],
    [
      [3, 3],
      [2.7, 3.3],
    ],
    [
      [0, 100],
      [-6, 106],
    ],
  ])('paddedDomain(%o)', (values, domain) => {
    const [a, b] = paddedDomain(values);
    expect(a).toBeCloseTo(domain[0] as number, 10);
    expect(b).toBeCloseTo(domain[1] as number, 10);
  });
});

describe('downsample', () => {
  const items = Array.from({ length: 1000 }, (_, i) => i);

  it('returns everything when under the limit', () => {
    expect(downsample(items.slice(0, 10), 20)).toEqual(items.slice(0, 10));
  });

  it('keeps the priority items, samples the rest evenly and keeps order', () => {
    const picked = downsample(items, 100, (i) => i % 250 === 7);
    expect(picked).toHaveLength(100);
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    for (const kept of [7, 257, 507, 757]) expect(picked).toContain(kept);
    expect(Math.max(...picked)).toBeGreaterThan(900);
  });
});
