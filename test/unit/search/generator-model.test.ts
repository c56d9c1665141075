import { describe, expect, it } from 'vitest';
import { generateProblem } from '../../../bench/search/generator.js';
import { drawModelError, studyModelView } from '../../../bench/search/generator-model.js';
import { type Asker, runOne, screenedBatched } from '../../../bench/search/runner.js';
import { expandGrid } from '../../../src/search/grid.js';
import { paramsKey } from '../../../src/search/space-checks.js';
import type { SearchStrategy } from '../../../src/search/strategy.js';
import type { Params, Trial } from '../../../src/search/trial.js';
import { MemoryBiasLearner } from '../../../src/sim/screen-learning.js';
import { createRng } from '../../../src/util/rng.js';

// A generated problem whose engine defaults run out of memory (tensor parallel 1 for a 70B model).
const p = generateProblem(15);
const exact = studyModelView(p, { compute: 1, bandwidth: 1, stepMs: 0, extraMemoryGiB: 0 });
const grid = [...expandGrid(p.space, 2000)];

describe("a generated problem's study model", () => {
  it('screens no configuration the engine starts when the model is exact, and screens some that fail', () => {
    let wrong = 0;
    let caught = 0;
    let failing = 0;
    for (const params of grid) {
      const outcome = p.evaluate(params);
      const screened = exact.screen(params).screened;
      if (outcome.ok && screened) wrong++;
      if (!outcome.ok && outcome.reason !== 'invalid-parallelism') {
        failing++;
        if (screened) caught++;
      }
    }
    expect(wrong).toBe(0);
    expect(failing).toBeGreaterThan(0);
    expect(caught).toBeGreaterThan(0);
  });

  it("predicts with the drawn error, not the engine's own figures", () => {
    const off = studyModelView(p, drawModelError(createRng(p.seed).fork('model-error')));
    const started = grid.filter((params) => p.evaluate(params).ok);
    const differs = started.filter(
      (params) => off.prior(params)?.values[0] !== exact.prior(params)?.values[0],
    ).length;
    expect(differs).toBe(started.length);
    const one = started[0] as Params;
    const truth = p.evaluate(one);
    const predicted = exact.prior(one);
    if (!truth.ok) throw new Error('unreachable');
    // The exact model predicts the engine's own objective (minimised sign) and SLO terms.
    expect(predicted?.values[0]).toBeCloseTo(p.maximise ? -truth.objective : truth.objective, 6);
    expect(predicted?.constraints).toEqual(truth.constraints);
    expect(exact.kvCapacityTokens(one)).toBeGreaterThan(0);
  });
});

describe('screenedBatched', () => {
  // A strategy that asks the grid in order, skipping what the history holds.
  const inOrder: SearchStrategy = {
    name: 'in-order',
    space: p.space,
    ask(history: readonly Trial[], options) {
      const taken = new Set(history.map((t) => paramsKey(p.space, t.params)));
      const params = grid.filter((g) => !taken.has(paramsKey(p.space, g))).slice(0, options?.count ?? 1);
      return { params, exhausted: params.length === 0 };
    },
  };

  it('launches no screened configuration, counts none as a trial, and learns from launches', async () => {
    const learner = new MemoryBiasLearner({ marginBytes: 8 * 2 ** 30 });
    const launched: Params[] = [];
    const inner = screenedBatched(inOrder, 4, {
      screen: exact.screen,
      learner,
      kvCapacityTokens: exact.kvCapacityTokens,
      allowance: 10_000,
    });
    const asker: Asker = {
      ask: async (h) => {
        const params = await inner.ask(h);
        launched.push(params);
        return params;
      },
      tell: (t) => inner.tell(t),
      done: () => inner.done(),
    };
    await runOne(p, asker, 0, 20);
    expect(launched.length).toBeGreaterThan(0);
    for (const params of launched) expect(exact.screen(params).screened).toBe(false);
    // The first launches come from deep in the grid: the screened ones before them were skipped, not counted.
    const firstIndex = grid.findIndex(
      (g) => paramsKey(p.space, g) === paramsKey(p.space, launched[0] as Params),
    );
    expect(firstIndex).toBeGreaterThan(0);
    expect(learner.lesson.startedMinBytes ?? learner.lesson.failedMaxBytes).toBeDefined();
  });

  it('stops screening once the allowance is spent', async () => {
    const learner = new MemoryBiasLearner({ marginBytes: 8 * 2 ** 30 });
    const asker = screenedBatched(inOrder, 1, {
      screen: exact.screen,
      learner,
      kvCapacityTokens: exact.kvCapacityTokens,
      allowance: 0,
    });
    expect(await asker.ask([])).toEqual(grid[0]);
  });
});
