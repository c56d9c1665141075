// Suggestion time of the Bayesian strategy with 100 trials in the history.
import { type BayesStrategyOptions, createBayesStrategy } from '../../src/search/bayes-strategy.js';
import { normalizeSpace } from '../../src/search/normalize-space.js';
import type { SearchSpace, SpaceInput } from '../../src/search/param-spec.js';
import { createRandomStrategy } from '../../src/search/random-strategy.js';
import type { Trial } from '../../src/search/trial.js';
import { MemoryBiasLearner } from '../../src/sim/screen-learning.js';
import { createRng } from '../../src/util/rng.js';
import { generateProblem } from './generator.js';
import { drawModelError, startChanceOf, studyModelView } from './generator-model.js';
import { measure } from './problem.js';
import { simProblems } from './problems-sim.js';
import { quantile } from './stats.js';

function historyOf(space: SearchSpace, evaluate: (t: Trial) => Trial, n: number): Trial[] {
  const random = createRandomStrategy(space, { seed: 99 });
  const history: Trial[] = [];
  for (let i = 0; i < n; i++) {
    const [params] = random.ask(history).params;
    if (params === undefined) break;
    history.push(evaluate({ number: i, params, state: 'complete' }));
  }
  return history;
}

/** Median CPU milliseconds of an ask (CPU time, so other load on a shared machine does not count). */
function time(
  space: SearchSpace,
  history: Trial[],
  count: number,
  options: BayesStrategyOptions = {},
): number {
  const strategy = createBayesStrategy(space, { seed: 1, useDefaults: false, ...options });
  strategy.ask(history.slice(0, 20));
  strategy.ask(history);
  const ms: number[] = [];
  for (let i = 0; i < 7; i++) {
    const before = process.cpuUsage();
    strategy.ask(history, { count });
    const used = process.cpuUsage(before);
    ms.push((used.user + used.system) / 1000);
  }
  return quantile(ms, 0.5);
}

/** Lines describing the median ask time at 100 trials for a finite 8-parameter sim problem and a continuous space. */
export function suggestionTimes(): string[] {
  const sim = simProblems().find((p) => p.name.includes('tp-pp')) ?? simProblems()[0];
  if (sim === undefined) return [];
  const rng = createRng(5);
  const simHistory = historyOf(sim.space, (t) => measure(sim, t.number, t.params, rng), 100);
  const continuousInput: SpaceInput = {
    a: { type: 'float', low: 0, high: 1 },
    b: { type: 'float', low: 0.001, high: 10, log: true },
    c: { low: 1, high: 1000 },
    d: ['x', 'y', 'z', 'w'],
    e: { type: 'bool' },
    f: { type: 'float', low: -5, high: 5 },
  };
  const continuous = normalizeSpace(continuousInput);
  const cHistory = historyOf(
    continuous,
    (t) => ({
      ...t,
      values: [((t.params.a as number) - 0.3) ** 2 + Math.log(t.params.b as number) ** 2 / 10],
      constraints: [(t.params.f as number) - 3],
    }),
    100,
  );
  // A generated vLLM/SGLang problem of a large space as a study with the analytic model runs it: prior and start chance.
  const generated = Array.from({ length: 40 }, (_, i) => i)
    .map((seed) => generateProblem(seed))
    .find((p) => p.size >= 800);
  const withModel: string[] = [];
  if (generated) {
    const view = studyModelView(generated, drawModelError(createRng(generated.seed).fork('model-error')));
    const learner = new MemoryBiasLearner({ marginBytes: 8 * 2 ** 30 });
    const options: BayesStrategyOptions = {
      prior: view.prior,
      startChance: startChanceOf(view, learner),
      constraintMetrics: generated.constraintMetrics ?? [],
    };
    const gHistory = historyOf(generated.space, (t) => measure(generated, t.number, t.params, rng), 100);
    withModel.push(
      `${generated.name} (${generated.space.params.length} params, ${generated.size} configurations) with the analytic prior and start chance, 100 trials: ask ${time(generated.space, gHistory, 1, options).toFixed(1)} ms CPU, batch of 4 ${time(generated.space, gHistory, 4, options).toFixed(1)} ms CPU`,
    );
  }
  return [
    ...withModel,
    `${sim.name} (8 params, 2 SLO constraints, failures), 100 trials: ask ${time(sim.space, simHistory, 1).toFixed(1)} ms CPU, batch of 4 ${time(sim.space, simHistory, 4).toFixed(1)} ms CPU`,
    `continuous 6-param space (1 constraint), 100 trials: ask ${time(continuous, cHistory, 1).toFixed(1)} ms CPU, batch of 4 ${time(continuous, cHistory, 4).toFixed(1)} ms CPU`,
  ];
}
