// Search benchmark on generated problems: a TRAIN range of generator seeds to tune the strategy on, a disjoint
// TEST range to report on; per strategy the distribution of trials to within 1% and to the first feasible
// configuration, grouped by the feasible and start-up failure shares of the spaces.
// Usage: npx tsx bench/search/generated.ts [--set test|train] [--problems 200] [--runs 10] [--budget 50]
//          [--strategies bayes,bayes-batch4,optuna-tpe,optuna-tpe-startup5] [--out results.json]
import { writeFileSync } from 'node:fs';
import { createBayesStrategy } from '../../src/search/bayes-strategy.js';
import { type Run, report } from './generated-report.js';
import { type GeneratedProblem, generateProblem } from './generator.js';
import { OptunaClient } from './optuna-client.js';
import { type Asker, batched, optunaAsker, runOne, sequential } from './runner.js';

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

async function asker(name: string, p: GeneratedProblem, seed: number, clients: Map<string, OptunaClient>) {
  const options = { seed, constraintMetrics: p.constraintMetrics ?? [] };
  if (name === 'bayes') return sequential(createBayesStrategy(p.space, options));
  if (name === 'bayes-batch4') return batched(createBayesStrategy(p.space, options), 4);
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
