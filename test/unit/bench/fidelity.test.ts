import { describe, expect, it } from 'vitest';
import { agreement, type ComparedRow, predictRow } from '../../../bench/fidelity/compare.js';
import {
  LONG_CONTEXT_TOKENS,
  PUBLISHED_TABLES,
  type PublishedRow,
} from '../../../bench/fidelity/published.js';
import { medianApe, ranks, spearman } from '../../../bench/fidelity/stats.js';
import { findGpu } from '../../../src/sim/gpu-catalogue.js';
import { findModel } from '../../../src/sim/model-catalogue.js';

describe('fidelity bench data', () => {
  it('every published row names a catalogue model and GPU and a sensible setup', () => {
    const ids = new Set<string>();
    for (const table of PUBLISHED_TABLES) {
      expect(ids.has(table.id)).toBe(false);
      ids.add(table.id);
      expect(table.source).toMatch(/^https:\/\//);
      expect(table.rows.length).toBeGreaterThanOrEqual(3);
      for (const row of table.rows) {
        expect(findModel(row.model), row.model).toBeDefined();
        expect(findGpu(row.gpu), row.gpu).toBeDefined();
        expect(row.gpus % row.tensorParallel).toBe(0);
        expect(row.promptTokens).toBeGreaterThan(0);
        expect(row.outputTokens).toBeGreaterThan(0);
        expect(row.outputTokensPerS).toBeGreaterThan(0);
        if (row.concurrency !== undefined) expect(Number.isInteger(row.concurrency)).toBe(true);
      }
    }
    const long = PUBLISHED_TABLES.flatMap((t) => t.rows).filter((r) => r.promptTokens >= LONG_CONTEXT_TOKENS);
    expect(long.length).toBeGreaterThan(0);
  });

  it('every row resolves to a configuration the model can predict', () => {
    for (const table of PUBLISHED_TABLES)
      for (const row of table.rows) {
        const compared = predictRow(table, row);
        expect(compared.failure, `${table.id} ${row.promptTokens}/${row.outputTokens}`).toBeUndefined();
        expect(compared.predicted).toBeGreaterThan(0);
      }
  });
});

describe('fidelity statistics', () => {
  it('ranks ties by their mean rank', () => {
    expect(ranks([10, 30, 20, 30])).toEqual([1, 3.5, 2, 3.5]);
  });

  it('Spearman is 1 for any increasing map, -1 reversed, and matches a hand computation with ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10_000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // ranks x = [1,2,3,4], y = [1,3,2,4]: sum of d^2 = 2, rho = 1 - 6*2/(4*15) = 0.8.
    expect(spearman([1, 2, 3, 4], [5, 7, 6, 8])).toBeCloseTo(0.8, 12);
    // y ranks [1.5,1.5,3,4] against [1,2,3,4]: Pearson of the ranks.
    expect(spearman([1, 2, 3, 4], [5, 5, 6, 8])).toBeCloseTo(0.9486832980505138, 12);
    expect(spearman([1], [2])).toBeNaN();
  });

  it('median APE takes the middle error, or the mean of the two middle ones', () => {
    expect(medianApe([110, 50, 300], [100, 100, 100])).toBeCloseTo(0.5, 12);
    expect(medianApe([110, 80, 100, 200], [100, 100, 100, 100])).toBeCloseTo(0.15, 12);
    expect(medianApe([], [])).toBeNaN();
  });

  it('agreement splits long-context rows and leaves rows that would not start out of the errors', () => {
    const row = (promptTokens: number, outputTokensPerS: number): PublishedRow => ({
      model: 'llama-3.1-8b',
      gpu: 'h100',
      gpus: 1,
      tensorParallel: 1,
      weightFormat: 'bf16',
      promptTokens,
      outputTokens: 100,
      outputTokensPerS,
    });
    const compared: ComparedRow[] = [
      { table: 't', row: row(1000, 100), predicted: 110 },
      { table: 't', row: row(1000, 200), predicted: 180 },
      { table: 't', row: row(2000, 300), predicted: 330 },
      { table: 't', row: row(LONG_CONTEXT_TOKENS, 50), predicted: 25 },
      { table: 't', row: row(LONG_CONTEXT_TOKENS, 40), predicted: undefined, failure: 'oom' },
    ];
    const a = agreement(compared);
    expect(a.rows).toBe(5);
    expect(a.predicted).toBe(4);
    expect(a.spearman).toBeCloseTo(1, 12);
    expect(a.medianApe).toBeCloseTo(0.1, 12);
    expect(a.shortMedianApe).toBeCloseTo(0.1, 12);
    expect(a.longRows).toBe(1);
    expect(a.longMedianApe).toBeCloseTo(0.5, 12);
  });
});
