// Search benchmark: trials until the best feasible configuration evaluated is within 1% / 5% of the
// exhaustive optimum, per strategy and problem over many seeds, side by side with Optuna's TPE.
// Usage: npx tsx bench/search/run.ts [--seeds 20] [--budget 50] [--only substring]
import { createBayesStrategy } from '../../src/search/bayes-strategy.js';
import { createGridStrategy } from '../../src/search/grid-strategy.js';
import { createLhsStrategy } from '../../src/search/lhs-strategy.js';
import { createRandomStrategy } from '../../src/search/random-strategy.js';
import { OptunaClient } from './optuna-client.js';
import { type SolvedProblem, solve } from './problem.js';
import { simProblems } from './problems-sim.js';
import { syntheticProblems } from './problems-synthetic.js';
import { type Asker, batched, optunaAsker, sequential as ours, type RunResult, runOne } from './runner.js';
import { formatSummary, quantile } from './stats.js';
import { suggestionTimes } from './timing.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const SEEDS = Number(arg('seeds', '20'));
const BUDGET = Number(arg('budget', '50'));
const ONLY = arg('only', '');
const INIT = Number(arg('init', '0'));
const PICK = arg('strategies', '');

const STRATEGIES = [
  'bayes',
  'bayes-nohints',
  'bayes-batch4',
  'lhs',
  'random',
  'grid',
  'optuna-tpe',
  'optuna-tpe-startup5',
] as const;
type StrategyName = (typeof STRATEGIES)[number];
const ACTIVE = STRATEGIES.filter((s) => PICK === '' || PICK.split(',').includes(s));

async function main(): Promise<void> {
  const problems = [...syntheticProblems(), ...simProblems()].filter((p) => p.name.includes(ONLY)).map(solve);
  const clients = { 'optuna-tpe': new OptunaClient(), 'optuna-tpe-startup5': new OptunaClient() };
  const results = new Map<string, RunResult[]>();
  const started = performance.now();
  const runStrategy = async (name: StrategyName): Promise<void> => {
    for (const p of problems)
      for (let seed = 0; seed < SEEDS; seed++) {
        let asker: Asker;
        if (name === 'bayes-batch4')
          asker = batched(
            createBayesStrategy(p.space, { seed, constraintMetrics: p.constraintMetrics ?? [] }),
            4,
          );
        else if (name === 'bayes' || name === 'bayes-nohints')
          asker = ours(
            createBayesStrategy(p.space, {
              seed,
              ...(INIT > 0 ? { initialDesignSize: INIT } : {}),
              ...(name === 'bayes' ? { constraintMetrics: p.constraintMetrics ?? [] } : {}),
            }),
          );
        else if (name === 'lhs') asker = ours(createLhsStrategy(p.space, { seed }));
        else if (name === 'random') asker = ours(createRandomStrategy(p.space, { seed }));
        else if (name === 'grid') asker = ours(createGridStrategy(p.space));
        else asker = await optunaAsker(clients[name], p, seed, name === 'optuna-tpe' ? null : 5);
        const key = `${name}|${p.name}`;
        results.set(key, [...(results.get(key) ?? []), await runOne(p, asker, seed, BUDGET)]);
      }
  };
  await Promise.all(ACTIVE.map(runStrategy));
  await Promise.all(Object.values(clients).map((c) => c.close()));
  printTable(problems, results);
  console.log(`\nwall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log('\nSuggestion time of the default strategy (bayes), median of 7 asks:');
  for (const line of suggestionTimes()) console.log(`  ${line}`);
}

const formatCount = (v: number): string => (Number.isFinite(v) ? String(v) : `>${BUDGET}`);

function printTable(problems: SolvedProblem[], results: Map<string, RunResult[]>): void {
  console.log(
    `Search benchmark: ${problems.length} problems, ${SEEDS} seeds, budget ${BUDGET} trials, noise CV 5%`,
  );
  console.log(
    'cells: median [IQR] trials until within 1% / within 5% / share of runs within 1% by the budget\n',
  );
  const header = ['problem (size, feasible share)', ...ACTIVE];
  const rows: string[][] = [];
  const pooled = new Map<StrategyName, number[]>();
  const worstFeasible = new Map<StrategyName, number>();
  for (const p of problems) {
    const row = [`${p.name} (${p.size}, ${(p.feasibleShare * 100).toFixed(0)}%)`];
    for (const s of ACTIVE) {
      const runs = results.get(`${s}|${p.name}`) ?? [];
      const w1 = runs.map((r) => r.within1);
      const w5 = runs.map((r) => r.within5);
      pooled.set(s, [...(pooled.get(s) ?? []), ...w1]);
      worstFeasible.set(s, Math.max(worstFeasible.get(s) ?? 0, ...runs.map((r) => r.firstFeasible)));
      const share = runs.filter((r) => r.within1 <= BUDGET).length / Math.max(1, runs.length);
      row.push(`${formatSummary(w1, BUDGET)} / ${formatSummary(w5, BUDGET)} / ${(share * 100).toFixed(0)}%`);
    }
    rows.push(row);
  }
  const suite = ['suite: pooled median [IQR] to 1%'];
  const worst = ['suite: worst trial of first feasible'];
  for (const s of ACTIVE) {
    suite.push(formatSummary(pooled.get(s) ?? [], BUDGET));
    const w = worstFeasible.get(s) ?? Infinity;
    worst.push(Number.isFinite(w) ? String(w) : `>${BUDGET}`);
  }
  rows.push(suite, worst);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    '\nFirst feasible trial: median / worst over the seeds (problems that have a feasible configuration)\n',
  );
  console.log(`| problem | ${ACTIVE.join(' | ')} |`);
  console.log(`|---|${ACTIVE.map(() => '---').join('|')}|`);
  for (const p of problems) {
    if (p.feasibleShare === 0) continue;
    const cells = ACTIVE.map((s) => {
      const first = (results.get(`${s}|${p.name}`) ?? []).map((r) => r.firstFeasible);
      const worstRun = Math.max(...first);
      return `${formatCount(quantile(first, 0.5))} / ${formatCount(worstRun)}`;
    });
    console.log(`| ${p.name}${p.description ? ` (${p.description})` : ''} | ${cells.join(' | ')} |`);
  }
  const ourMedian = quantile(pooled.get('bayes') ?? [], 0.5);
  for (const tpe of ['optuna-tpe', 'optuna-tpe-startup5'] as const) {
    if (!ACTIVE.includes(tpe) || !ACTIVE.includes('bayes')) continue;
    const theirs = quantile(pooled.get(tpe) ?? [], 0.5);
    console.log(
      `\nbayes / ${tpe} pooled median trials to 1%: ${ourMedian} / ${theirs} = ${(ourMedian / theirs).toFixed(2)} (target <= 0.5)`,
    );
  }
}

await main();
