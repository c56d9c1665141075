import { describe, expect, it } from 'vitest';
import { createBayesStrategy } from '../../../src/search/bayes-strategy.js';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import { cachedPrior, calibratePrior, type PriorModel, rankByPrior } from '../../../src/search/prior.js';
import type { Params, Trial } from '../../../src/search/trial.js';

// Throughput grows with the batch width and tensor parallelism; TPOT grows with the batch width.
const space = normalizeSpace({
  seqs: { values: [32, 64, 128, 256], default: 256, lowers: { tpot: 32 } },
  tp: { values: [1, 2, 4], default: 1, lowers: { tpot: 4, memory: 4 } },
});
// Predicted TPOT over its bound: seqs / (64 tp) - 1; tp 1 with 256 sequences does not start.
const prior: PriorModel = (params) => {
  const seqs = params['seqs'] as number;
  const tp = params['tp'] as number;
  if (tp === 1 && seqs === 256) return undefined;
  return { values: [-(seqs * (1 + tp / 4))], constraints: [seqs / (64 * tp) - 1], safety: tp };
};
const all: Params[] = [32, 64, 128, 256].flatMap((seqs) => [1, 2, 4].map((tp) => ({ seqs, tp })));

describe('rankByPrior', () => {
  it('puts configurations predicted to meet the SLO first, best first, and leaves out those predicted not to run', () => {
    const ranked = rankByPrior(all, prior);
    expect(ranked).toHaveLength(11);
    expect(ranked[0]).toEqual({ seqs: 256, tp: 4 });
    expect(ranked[1]).toEqual({ seqs: 128, tp: 4 });
    // Predicted to break the SLO: nearest to meeting it first.
    expect(ranked.at(-1)).toEqual({ seqs: 128, tp: 1 });
  });

  it('with a margin, ranks first what meets every bound with that much to spare', () => {
    // 256 sequences on tp 4 sit exactly on the bound; 20% below it the best is 128 on tp 4 (TPOT at half).
    expect(rankByPrior(all, prior, 0.2)[0]).toEqual({ seqs: 128, tp: 4 });
  });

  it('answers each configuration once and drops predictions that are not finite', () => {
    let calls = 0;
    const cached = cachedPrior((params) => {
      calls++;
      return params['seqs'] === 32 ? { values: [Number.NaN] } : { values: [1] };
    });
    cached({ seqs: 32, tp: 1 });
    expect(cached({ seqs: 32, tp: 1 })).toBeUndefined();
    expect(cached({ tp: 2, seqs: 64 })).toEqual({ values: [1] });
    cached({ seqs: 64, tp: 2 });
    expect(calls).toBe(2);
  });
});

describe('calibratePrior', () => {
  it('fits a linear map with its slope kept informative', () => {
    const fit = calibratePrior([1, 2, 3, 4], [12, 14, 16, 18]);
    expect(fit.slope).toBeCloseTo(2, 9);
    expect(fit.at(5)).toBeCloseTo(20, 9);
    expect(calibratePrior([1, 2, 3], [30, 20, 10]).slope).toBe(0.2);
    expect(calibratePrior([], []).at(7)).toBe(7);
  });
});

describe('the Bayesian strategy with a prior', () => {
  const defaults: Trial = {
    number: 0,
    params: { seqs: 256, tp: 1 },
    state: 'complete',
    values: [-300],
    constraints: [0.6],
  };

  it("tries the prior's best after the defaults, before repairing the defaults' SLO along the hints", () => {
    const strategy = createBayesStrategy(space, { seed: 3, prior, constraintMetrics: ['tpot'] });
    const first = strategy.ask([], { count: 1 });
    expect(first.origins?.[0]?.kind).toBe('defaults');
    const next = strategy.ask([defaults], { count: 1 });
    expect(next.params[0]).toEqual({ seqs: 256, tp: 4 });
    expect(next.origins?.[0]?.note).toBe('ranked best by the prior model under the SLO');
    // Without the prior the defaults are repaired first.
    const plain = createBayesStrategy(space, { seed: 3, constraintMetrics: ['tpot'] }).ask([defaults], {
      count: 1,
    });
    expect(plain.origins?.[0]?.kind).toBe('repair');
  });

  it('hedges a first batch with more room below the SLO for each next pick', () => {
    const strategy = createBayesStrategy(space, { seed: 3, prior, constraintMetrics: ['tpot'] });
    const batch = strategy.ask([], { count: 3 });
    expect(batch.origins?.map((o) => o.note ?? o.kind)).toEqual([
      'defaults',
      'ranked best by the prior model under the SLO',
      'ranked best by the prior model with 10% to spare below the SLO',
    ]);
    expect(batch.params[1]).toEqual({ seqs: 256, tp: 4 });
    expect(batch.params[2]).toEqual({ seqs: 128, tp: 4 });
  });

  it('repairs a launched out of memory, but leaves configurations screened for memory to the prior', () => {
    const strategy = createBayesStrategy(space, { seed: 3, prior });
    const oom = (number: number, params: Params, launched: boolean): Trial => ({
      number,
      params,
      state: launched ? 'failed' : 'invalid',
      failureReason: 'oom',
    });
    // The defaults out of memory: the prior's best comes first.
    const first = strategy.ask([oom(0, { seqs: 256, tp: 1 }, true)], { count: 1 });
    expect(first.origins?.[0]?.note).toBe('ranked best by the prior model under the SLO');
    // The prior was wrong about memory too: the launched failure is repaired along the memory hints.
    const launched = strategy.ask([oom(0, { seqs: 256, tp: 1 }, true), oom(1, { seqs: 128, tp: 2 }, true)], {
      count: 1,
    });
    expect(launched.origins?.[0]?.note).toBe(
      'memory repair of trial 1 (out of memory at start-up): tp 2 -> 4',
    );
    // Screened (never launched): no repair; the prior ranks what it predicts to start.
    const screened = strategy.ask(
      [oom(0, { seqs: 256, tp: 1 }, false), oom(1, { seqs: 128, tp: 2 }, false)],
      {
        count: 1,
      },
    );
    expect(screened.origins?.[0]?.kind).toBe('design');
    // Without a prior, a configuration screened for memory is repaired like a launched one.
    const without = createBayesStrategy(space, { seed: 3 }).ask([oom(0, { seqs: 256, tp: 1 }, false)], {
      count: 1,
    });
    expect(without.origins?.[0]?.note).toContain('memory repair of trial 0 (predicted out of memory');
  });
});
