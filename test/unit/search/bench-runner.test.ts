// The search benchmark's run loop: what it counts as a trial.
import { describe, expect, it } from 'vitest';
import { problem, solve } from '../../../bench/search/problem.js';
import { type Asker, runOne } from '../../../bench/search/runner.js';
import type { Params, Trial } from '../../../src/search/trial.js';

// tp 4 needs more GPUs than the host has; tp 2 meets the SLO and is optimal.
const p = solve(
  problem('capacity', { tp: [1, 2, 4] }, true, 1, (params) =>
    params.tp === 4
      ? { ok: false, reason: 'no-capacity' }
      : { ok: true, objective: Number(params.tp), constraints: [params.tp === 2 ? -0.5 : 0.5] },
  ),
);

function scripted(order: Params[]): Asker & { told: Trial[] } {
  const told: Trial[] = [];
  let i = 0;
  return {
    told,
    ask: async () => order[i++] ?? { tp: 2 },
    tell: async (trial) => {
      told.push(trial);
    },
    done: async () => {},
  };
}

describe('runOne', () => {
  it('records a layout wider than the GPUs as invalid for the strategy without counting it as a trial', async () => {
    const asker = scripted([{ tp: 4 }, { tp: 1 }, { tp: 2 }]);
    const result = await runOne(p, asker, 0, 10);
    expect(result).toEqual({ firstFeasible: 2, within5: 2, within1: 2 });
    expect(asker.told.map((t) => [t.state, t.failureReason])).toEqual([
      ['invalid', 'no-capacity'],
      ['complete', undefined],
      ['complete', undefined],
    ]);
  });

  it('counts refusals once they pass four times the budget, so a strategy that only proposes them ends', async () => {
    const asker = scripted(Array.from({ length: 100 }, () => ({ tp: 4 })));
    const result = await runOne(p, asker, 0, 5);
    expect(result.firstFeasible).toBe(Infinity);
    expect(asker.told).toHaveLength(25);
    expect(asker.told.filter((t) => t.state === 'invalid')).toHaveLength(20);
  });
});
