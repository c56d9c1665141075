import { describe, expect, it } from 'vitest';
import { scoreRun } from '../../../src/slo/score-run.js';
import type { SloSpec } from '../../../src/slo/types.js';
import { runMetrics, stats } from './fixtures.js';

const slo: SloSpec = { terms: [{ metric: 'ttft', stat: 'p99', maxMs: 200 }], maxErrorRate: 0.05 };

describe('scoreRun', () => {
  it('a run within the SLO is feasible with unpenalised values', () => {
    const score = scoreRun(runMetrics({ ttftMs: stats({ p99: 100 }) }), 'maximize_throughput', slo);
    expect(score).toMatchObject({
      values: [-1000],
      objective: [1000],
      constraints: [-0.5, -1],
      penalty: 1,
      hardFail: false,
      violations: [],
      feasible: true,
    });
  });

  it('a soft violation is penalised and infeasible', () => {
    const score = scoreRun(runMetrics({ ttftMs: stats({ p99: 220 }) }), 'maximize_throughput', slo);
    expect(score.feasible).toBe(false);
    expect(score.values[0]).toBeGreaterThan(-1000);
    expect(score.objective).toEqual([1000]);
    expect(score.constraints[0]).toBeCloseTo(0.1, 12);
    expect(score.violations).toHaveLength(1);
  });

  it('too many errors fail the trial outright', () => {
    const score = scoreRun(runMetrics({ errorRate: 0.5 }), ['minimize_ttft', 'maximize_throughput'], slo);
    expect(score).toMatchObject({ hardFail: true, feasible: false });
    expect(score.values).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });

  it('without an SLO there are no constraints; an objective that cannot be computed is infeasible', () => {
    expect(scoreRun(runMetrics(), 'minimize_latency', undefined)).toMatchObject({
      constraints: [],
      feasible: true,
    });
    const noGoodput = scoreRun(runMetrics(), 'maximize_goodput', undefined);
    expect(noGoodput.feasible).toBe(false);
    expect(noGoodput.objective[0]).toBeNaN();
  });
});
