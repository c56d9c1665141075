// The multi-fidelity benchmark: the default strategy on engines the analytic model only approximates, with and
// without screening (and the model as the search's prior), against Optuna TPE; launched trials to within 1 % of
// the true optimum, start-up failures launched, configurations wrongly screened, simulated wall time.
//
//   npx tsx bench/multifidelity/run.ts [--seeds 10] [--budget 50] [--optuna]
import { parseArgs } from 'node:util';
import { createBayesStrategy } from '../../src/search/bayes-strategy.js';
import type { Params, Trial } from '../../src/search/trial.js';
import { MemoryBiasLearner, predictedHeadroomBytes } from '../../src/sim/screen-learning.js';
import { createRng } from '../../src/util/rng.js';
import { OptunaClient } from '../search/optuna-client.js';
import { drawDeviation, type MfProblem, multiFidelityProblems, type Outcome } from './problems.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    budget: { type: 'string', default: '50' },
    optuna: { type: 'boolean', default: false },
  },
});
const SEEDS = Number(values.seeds);
const BUDGET = Number(values.budget);
const NOISE_CV = 0.05;
/** Benchmark time of a configuration that started (load generator run), in ms. */
const BENCHMARK_MS = 120_000;

type Arm = 'default' | 'default+screening' | 'default+screening+prior' | 'tpe' | 'tpe-startup5';

interface RunResult {
  /** Launched trials until one within 1 % of the true optimum was measured (undefined: never). */
  toOnePercent: number | undefined;
  launched: number;
  startFailures: number;
  screened: number;
  wallMs: number;
}

const feasibleTruth = (o: Outcome, slo: number): o is Extract<Outcome, { ok: true }> =>
  o.ok && o.tpotP99Ms <= slo;

async function runArm(
  arm: Arm,
  p: MfProblem,
  seed: number,
  truthOf: (params: Params) => Outcome,
  optimum: number,
  client: OptunaClient | undefined,
): Promise<RunResult> {
  const optuna = arm.startsWith('tpe') ? client : undefined;
  const rng = createRng(seed * 7919 + 17);
  const screening = arm !== 'default' && !arm.startsWith('tpe');
  const strategy = arm.startsWith('tpe')
    ? undefined
    : createBayesStrategy(p.space, {
        seed,
        constraintMetrics: ['tpot'],
        ...(arm === 'default+screening+prior' ? { prior: priorOf(p) } : {}),
      });
  const id = `${p.name}-${seed}-${arm}`;
  if (optuna) await optuna.create(id, p.space, seed, arm === 'tpe-startup5' ? 5 : null);
  const history: Trial[] = [];
  const result: RunResult = {
    toOnePercent: undefined,
    launched: 0,
    startFailures: 0,
    screened: 0,
    wallMs: 0,
  };
  const learner = new MemoryBiasLearner();
  let asks = 0;
  while (result.launched < BUDGET && asks < BUDGET * 6) {
    asks++;
    let params: Params | undefined;
    if (strategy) params = strategy.ask(history, { count: 1 }).params[0];
    else if (optuna) params = await optuna.ask(id);
    if (!params) break;
    const number = history.length;
    const screen = p.screen(params);
    if (screening && (screen.screened || (screen.predicted && learner.screens(screen.predicted)))) {
      result.screened++;
      history.push({ number, params, state: 'invalid', failureReason: 'screened' });
      continue;
    }
    result.launched++;
    const outcome = truthOf(params);
    result.wallMs += outcome.startupMs + (outcome.ok ? BENCHMARK_MS : 0);
    const memoryFailure = !outcome.ok && (outcome.reason === 'oom' || outcome.reason === 'kv-too-small');
    if (screen.predicted && (outcome.ok || memoryFailure))
      learner.observe(screen.predicted, outcome.ok ? 'started' : 'out-of-memory');
    if (!outcome.ok) {
      result.startFailures++;
      history.push({ number, params, state: 'failed', failureReason: outcome.reason });
      if (optuna) await optuna.tell(id, 'fail');
      continue;
    }
    const tokS = outcome.tokS * (1 + NOISE_CV * rng.normal());
    const tpot = outcome.tpotP99Ms * (1 + NOISE_CV * rng.normal());
    const constraint = tpot / p.tpotSloMs - 1;
    history.push({ number, params, state: 'complete', values: [-tokS], constraints: [constraint] });
    if (optuna) await optuna.tell(id, 'complete', -tokS, [constraint]);
    if (
      result.toOnePercent === undefined &&
      feasibleTruth(outcome, p.tpotSloMs) &&
      outcome.tokS >= optimum * 0.99
    )
      result.toOnePercent = result.launched;
  }
  if (optuna) await optuna.drop(id);
  return result;
}

// The model's predictions as the strategy's prior (objective minimised, constraint as observed/threshold - 1).
function priorOf(p: MfProblem) {
  return (params: Params): { values: number[]; constraints: number[] } | undefined => {
    const predicted = p.predict(params);
    if (!predicted.ok) return undefined;
    const memory = p.screen(params).predicted;
    return {
      values: [-predicted.tokS],
      constraints: [predicted.tpotP99Ms / p.tpotSloMs - 1],
      ...(memory ? { safety: predictedHeadroomBytes(memory) } : {}),
    };
  };
}

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? Number.NaN;
};

async function main(): Promise<void> {
  const problems = await multiFidelityProblems();
  const arms: Arm[] = ['default', 'default+screening', 'default+screening+prior'];
  const optuna = values.optuna ? new OptunaClient() : undefined;
  if (optuna) arms.push('tpe', 'tpe-startup5');
  const byArm = new Map<Arm, RunResult[]>(arms.map((a) => [a, []]));
  let wronglyScreened = 0;
  let optimumScreened = 0;
  let startingConfigs = 0;
  for (const p of problems) {
    for (let seed = 0; seed < SEEDS; seed++) {
      const deviation = drawDeviation(createRng(1000 + seed));
      const truth = new Map<string, Outcome>();
      const truthOf = (params: Params): Outcome => {
        const key = JSON.stringify(params);
        let o = truth.get(key);
        if (!o) {
          o = p.truth(params, deviation);
          truth.set(key, o);
        }
        return o;
      };
      let optimum = -Infinity;
      let best: Params | undefined;
      for (const params of p.grid) {
        const o = truthOf(params);
        if (o.ok) startingConfigs++;
        if (o.ok && p.screen(params).screened) wronglyScreened++;
        if (feasibleTruth(o, p.tpotSloMs) && o.tokS > optimum) {
          optimum = o.tokS;
          best = params;
        }
      }
      if (!best) continue;
      if (p.screen(best).screened) optimumScreened++;
      for (const arm of arms) byArm.get(arm)?.push(await runArm(arm, p, seed, truthOf, optimum, optuna));
    }
  }
  await optuna?.close();
  const lines = [
    `${problems.length} problems x ${SEEDS} seeds (hidden deviation per seed), budget ${BUDGET} launched trials, ${NOISE_CV * 100}% noise`,
    '',
    '| strategy | launched trials to within 1%: median (p90) | never within budget | start-up failures launched per run (share of launches) | simulated wall time per run, median (h) |',
    '| --- | --- | --- | --- | --- |',
  ];
  const base = byArm.get('default') ?? [];
  const baseFailures = base.reduce((s, r) => s + r.startFailures, 0);
  for (const arm of arms) {
    const runs = byArm.get(arm) ?? [];
    const reached = runs.map((r) => r.toOnePercent ?? BUDGET + 1);
    const never = runs.filter((r) => r.toOnePercent === undefined).length;
    const failures = runs.reduce((s, r) => s + r.startFailures, 0);
    const launches = runs.reduce((s, r) => s + r.launched, 0);
    const fewer =
      arm !== 'default' && baseFailures > 0
        ? `, ${((1 - failures / baseFailures) * 100).toFixed(0)}% fewer`
        : '';
    lines.push(
      `| ${arm} | ${quantile(reached, 0.5)} (${quantile(reached, 0.9)}) | ${never} of ${runs.length} | ${(failures / runs.length).toFixed(2)} (${((100 * failures) / Math.max(1, launches)).toFixed(1)}%${fewer}) | ${(
        quantile(
          runs.map((r) => r.wallMs),
          0.5,
        ) / 3.6e6
      ).toFixed(2)} |`,
    );
  }
  lines.push(
    '',
    `Configurations screened that would have started: ${wronglyScreened} of ${startingConfigs} starting configurations (all problems and seeds); true optimum screened out: ${optimumScreened} times.`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
