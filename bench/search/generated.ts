// Search benchmark on generated problems: a TRAIN range of generator seeds to tune the strategy on, a disjoint
// TEST range to report on; per strategy the distribution of trials to within 1% and to the first feasible
// configuration, grouped by the feasible and start-up failure shares of the spaces.
// Usage: npx tsx bench/search/generated.ts [--set test|train] [--problems 200] [--runs 10] [--budget 50]
//          [--strategies bayes,bayes-batch4,optuna-tpe,optuna-tpe-startup5] [--out results.json]
import { writeFileSync } from 'node:fs';
import { createBayesStrategy } from '../../src/search/bayes-strategy.js';
import { findGpu } from '../../src/sim/gpu-catalogue.js';
import { DEFAULT_SCREENING_MARGIN } from '../../src/sim/screen.js';
import { MemoryBiasLearner } from '../../src/sim/screen-learning.js';
import { createRng } from '../../src/util/rng.js';
import { type Run, report } from './generated-report.js';
import { type GeneratedProblem, generateProblem } from './generator.js';
import { drawModelError, type StudyModelView, startChanceOf, studyModelView } from './generator-model.js';
import { OptunaClient } from './optuna-client.js';
import { type Asker, batched, optunaAsker, runOne, screenedBatched } from './runner.js';

/** First generator seed of each range: the strategy is tuned on TRAIN only; TEST is for reporting. */
export const SEED_RANGES = { train: 0, test: 1_000_000 } as const;

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const SET = arg('set', 'test') as keyof typeof SEED_RANGES;
const PROBLEMS = Number(arg('problems', '200'));
const RUNS = Number(arg('runs', '10'));
const BUDGET = Number(arg('budget', '50'));
const STRATEGIES = arg('strategies', 'bayes,bayes-batch4,optuna-tpe,optuna-tpe-startup5').split(',');
const OUT = arg('out', '');

// The study's model of a problem: its error is drawn once per problem (it belongs to the engine, model and GPU).
const views = new Map<GeneratedProblem, StudyModelView>();
function viewOf(p: GeneratedProblem): StudyModelView {
  let view = views.get(p);
  if (!view) {
    view = studyModelView(p, drawModelError(createRng(p.seed).fork('model-error')));
    views.set(p, view);
  }
  return view;
}

// `bayes[-screened|-prior][-batch4]`: the strategy alone (no analytic model: llama.cpp, or a model or GPU the
// simulator does not know), as a vLLM or SGLang study runs it by default (screening and start chance), or with
// the model's predictions as its prior as well (`strategy.analyticPrior`).
function ourAsker(name: string, p: GeneratedProblem, seed: number): Asker | undefined {
  const match = /^bayes(-screened|-prior)?(-batch4)?$/.exec(name);
  if (!match) return undefined;
  const size = match[2] ? 4 : 1;
  const options = { seed, constraintMetrics: p.constraintMetrics ?? [] };
  if (!match[1]) return batched(createBayesStrategy(p.space, options), size);
  const view = viewOf(p);
  const gpu = findGpu(p.setting.gpu);
  const learner = new MemoryBiasLearner({
    marginBytes: DEFAULT_SCREENING_MARGIN * (gpu?.memoryGiB ?? 80) * 2 ** 30,
  });
  const startChance = startChanceOf(view, learner);
  const strategy = createBayesStrategy(p.space, {
    ...options,
    startChance,
    ...(match[1] === '-prior' ? { prior: view.prior } : {}),
  });
  return screenedBatched(strategy, size, {
    screen: view.screen,
    learner,
    kvCapacityTokens: view.kvCapacityTokens,
    allowance: 4 * BUDGET,
  });
}

async function asker(name: string, p: GeneratedProblem, seed: number, clients: Map<string, OptunaClient>) {
  const ours = ourAsker(name, p, seed);
  if (ours) return ours;
  const client = clients.get(name);
  if (!client) throw new Error(`unknown strategy ${name}`);
  return optunaAsker(client, p, seed, name === 'optuna-tpe' ? null : 5);
}

async function main(): Promise<void> {
  if (!(SET in SEED_RANGES)) throw new Error(`--set must be train or test, not ${SET}`);
  const from = SEED_RANGES[SET];
  const started = performance.now();
  const problems = Array.from({ length: PROBLEMS }, (_, i) => generateProblem(from + i));
  const generatedS = (performance.now() - started) / 1000;
  const clients = new Map(
    STRATEGIES.filter((s) => s.startsWith('optuna')).map((s) => [s, new OptunaClient()] as const),
  );
  const results = new Map<string, Run[]>(STRATEGIES.map((s) => [s, []]));
  await Promise.all(
    STRATEGIES.map(async (name) => {
      for (const p of problems)
        for (let seed = 0; seed < RUNS; seed++) {
          const a: Asker = await asker(name, p, seed, clients);
          results.get(name)?.push({ problem: p, result: await runOne(p, a, seed, BUDGET) });
        }
    }),
  );
  await Promise.all([...clients.values()].map((c) => c.close()));
  console.log(
    `Generated problems, ${SET.toUpperCase()} range: generator seeds ${from}..${from + PROBLEMS - 1}, ${RUNS} runs each (strategy seeds 0..${RUNS - 1}), budget ${BUDGET} trials, noise CV 5%`,
  );
  for (const line of report(results, BUDGET)) console.log(line);
  console.log(
    `\ngeneration ${generatedS.toFixed(0)} s, wall time ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  if (OUT !== '')
    writeFileSync(
      OUT,
      JSON.stringify(
        [...results].flatMap(([strategy, runs]) =>
          runs.map((r) => ({
            strategy,
            problem: r.problem.name,
            feasibleShare: r.problem.feasibleShare,
            failureShare: r.problem.failureShare,
            ...r.result,
          })),
        ),
      ),
    );
}

await main();
