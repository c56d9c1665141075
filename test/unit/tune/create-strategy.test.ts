import { describe, expect, it } from 'vitest';
import { normalizeSpace } from '../../../src/search/normalize-space.js';
import type { PriorModel } from '../../../src/search/prior.js';
import type { Trial } from '../../../src/search/trial.js';
import { createStudyStrategy, usesAnalyticPrior } from '../../../src/tune/create-strategy.js';
import { parseOptionsSchema } from '../../../src/tune/parse-options.js';

// A space whose best configuration under the SLO the prior knows: seqs 256 with tp 4.
const space = normalizeSpace({
  seqs: { values: [16, 64, 256], default: 256, lowers: { tpot: 16 } },
  tp: { values: [1, 2, 4], default: 1, lowers: { tpot: 4 } },
});
const prior: PriorModel = (params) => {
  const seqs = params['seqs'] as number;
  const tp = params['tp'] as number;
  return { values: [-(seqs * tp) / (tp === 4 ? 2 : 1)], constraints: [seqs * 4 <= 256 * tp ? -0.1 : 0.5] };
};
const defaultsTrial: Trial = {
  number: 0,
  params: { seqs: 256, tp: 1 },
  state: 'complete',
  values: [-256],
  constraints: [0.5],
};

const next = (strategy: Record<string, unknown> | string) =>
  createStudyStrategy(
    space,
    parseOptionsSchema({ model: 'm', runtime: 'sim', strategy, seed: 1 }),
    undefined,
    [],
    prior,
  ).ask([defaultsTrial], { count: 1 });

describe('createStudyStrategy', () => {
  it("makes the analytic model's predictions the prior by default", () => {
    const result = next('auto');
    expect(result.origins?.[0]?.note).toBe('ranked best by the prior model under the SLO');
    expect(result.params[0]).toEqual({ seqs: 256, tp: 4 });
  });

  it('searches without the prior when analyticPrior is false', () => {
    const result = next({ name: 'auto', analyticPrior: false });
    expect(result.origins?.[0]?.note).not.toBe('ranked best by the prior model under the SLO');
  });
});

describe('usesAnalyticPrior', () => {
  it('is on for the Bayesian strategies unless turned off, and off for the others', () => {
    expect(usesAnalyticPrior('auto')).toBe(true);
    expect(usesAnalyticPrior({ name: 'bayes' })).toBe(true);
    expect(usesAnalyticPrior({ name: 'auto', analyticPrior: false })).toBe(false);
    expect(usesAnalyticPrior('grid')).toBe(false);
    expect(usesAnalyticPrior('random')).toBe(false);
  });
});
