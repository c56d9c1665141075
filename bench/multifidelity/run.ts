// The multi-fidelity benchmark: the default strategy on engines the analytic model only approximates, with and
// without screening (and the model as the search's prior), against Optuna TPE; launched trials to within 1 % of
// the true optimum, start-up failures launched, configurations wrongly screened, simulated wall time one trial at
// a time and with trials in flight on the GPU pool (the problem's GPUs, and a larger host).
//
//   npx tsx bench/multifidelity/run.ts [--seeds 10] [--budget 50] [--host-gpus 8] [--optuna]
import { parseArgs } from 'node:util';
import type { GpuInfo } from '../../src/gpu/gpu-info.js';
import { type GpuLease, GpuPool } from '../../src/gpu/gpu-pool.js';
import { createBayesStrategy } from '../../src/search/bayes-strategy.js';
import type { Params, Trial } from '../../src/search/trial.js';
import type { ScreenPrediction, ScreenResult } from '../../src/sim/screen.js';
import { MemoryBiasLearner, predictedHeadroomBytes } from '../../src/sim/screen-learning.js';
import { createRng } from '../../src/util/rng.js';
import { OptunaClient } from '../search/optuna-client.js';
import { drawDeviation, type MfProblem, multiFidelityProblems, type Outcome } from './problems.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    budget: { type: 'string', default: '50' },
    optuna: { type: 'boolean', default: false },
    'host-gpus': { type: 'string', default: '8' },
  },
});
const SEEDS = Number(values.seeds);
const BUDGET = Number(values.budget);
/** GPUs of the larger host the pooled runs also use (a problem with more keeps its own). */
const HOST_GPUS = Number(values['host-gpus']);
const NOISE_CV = 0.05;
/** Benchmark time of a configuration that started (load generator run), in ms. */
const BENCHMARK_MS = 120_000;

type Arm = 'default' | 'default+screening' | 'default+screening+prior' | 'tpe' | 'tpe-startup5';

interface RunResult {
  /** Launched trials until one within 1 % of the true optimum was measured (undefined: never). */
  toOnePercent: number | undefined;
  /** Simulated time until that trial finished, in ms. */
  toOnePercentMs: number | undefined;
  launched: number;
  startFailures: number;
  screened: number;
  /** Configurations screened by what the study learnt (not the static screen) that would have started. */
  wronglyScreened: number;
  /** Simulated time until the last trial finished, in ms. */
  wallMs: number;
}

/** A finished launch, with when it finishes on the simulated clock and the GPUs it gives back. */
interface InFlight {
  number: number;
  params: Params;
  finishMs: number;
  outcome: Outcome;
  predicted: ScreenPrediction | undefined;
  lease: GpuLease;
}

const feasibleTruth = (o: Outcome, slo: number): o is Extract<Outcome, { ok: true }> =>
  o.ok && o.tpotP99Ms <= slo;

const gpuInventory = (count: number): GpuInfo[] =>
  Array.from({ length: count }, (_, index) => ({
    index,
    uuid: `GPU-bench-${index}`,
    name: 'bench GPU',
    memoryTotalMiB: 81_920,
    memoryUsedMiB: 0,
    memoryFreeMiB: 81_920,
    utilizationPct: undefined,
    processes: [],
  }));

// Lets the promises the pool resolved (GPU grants) run before the simulated clock moves on.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One study. `parallel` trials at most in flight (1: one after another), each holding its tensor-parallel
 * GPUs from the study's GpuPool over the problem's GPUs while it loads (and, once started, runs its
 * benchmark), as the study loop runs them: the strategy is asked for as many configurations as there are free
 * slots, with those in flight as pending; screening happens when a configuration is suggested, so a lesson
 * from a failed launch reaches only configurations suggested after it finished.
 */
async function runArm(
  arm: Arm,
  p: MfProblem,
  seed: number,
  truthOf: (params: Params) => Outcome,
  optimum: number,
  client: OptunaClient | undefined,
  parallel: number,
): Promise<RunResult> {
  const optuna = arm.startsWith('tpe') ? client : undefined;
  const rng = createRng(seed * 7919 + 17);
  const screening = arm !== 'default' && !arm.startsWith('tpe');
  const learner = new MemoryBiasLearner({ marginBytes: p.marginBytes });
  const screenOf = cachedScreen(p);
  const strategy = arm.startsWith('tpe')
    ? undefined
    : createBayesStrategy(p.space, {
        seed,
        constraintMetrics: ['tpot'],
        ...(arm === 'default+screening+prior' ? { prior: priorOf(p) } : {}),
        ...(screening
          ? {
              startChance: (params: Params) => {
                const predicted = screenOf(params).predicted;
                return predicted ? learner.startChance(predicted) : 1;
              },
            }
          : {}),
      });
  const id = `${p.name}-${seed}-${arm}`;
  if (optuna) await optuna.create(id, p.space, seed, arm === 'tpe-startup5' ? 5 : null);
  const history: Trial[] = [];
  const result: RunResult = {
    toOnePercent: undefined,
    toOnePercentMs: undefined,
    launched: 0,
    startFailures: 0,
    screened: 0,
    wronglyScreened: 0,
    wallMs: 0,
  };
  const pool = new GpuPool(gpuInventory(parallel === 1 ? p.gpus : Math.max(parallel, p.gpus)));
  const inFlight = new Map<number, InFlight>();
  let nowMs = 0;
  let asks = 0;
  let exhausted = false;
  const launch = (number: number, params: Params, predicted: ScreenPrediction | undefined) => {
    result.launched++;
    const outcome = truthOf(params);
    const gpus = Math.max(1, Number(params['--tensor-parallel-size'] ?? params['--tp-size'] ?? 1));
    // The trial's time starts once it holds its GPUs; the pool grants them when its turn comes.
    void pool.acquire(gpus).then((lease) => {
      const durationMs = outcome.startupMs + (outcome.ok ? BENCHMARK_MS : 0);
      inFlight.set(number, { number, params, finishMs: nowMs + durationMs, outcome, predicted, lease });
    });
    pending.set(number, params);
  };
  const pending = new Map<number, Params>();
  const finish = async (trial: InFlight) => {
    const { number, params, outcome, predicted } = trial;
    const memoryFailure = !outcome.ok && (outcome.reason === 'oom' || outcome.reason === 'kv-too-small');
    if (predicted && (outcome.ok || memoryFailure))
      learner.observe(
        predicted,
        outcome.ok ? 'started' : 'out-of-memory',
        outcome.ok ? outcome.kvCapacityTokens : undefined,
      );
    pending.delete(number);
    if (!outcome.ok) {
      result.startFailures++;
      history.push({ number, params, state: 'failed', failureReason: outcome.reason });
      if (optuna) await optuna.tell(id, 'fail');
      return;
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
    ) {
      result.toOnePercent = history.filter((t) => t.state !== 'invalid').length;
      result.toOnePercentMs = nowMs;
    }
  };
  let number = 0;
  for (;;) {
    // Ask for as many configurations as there are free slots (screened ones are recorded at once).
    while (!exhausted && pending.size < parallel && result.launched < BUDGET && asks < BUDGET * 6) {
      asks++;
      let params: Params | undefined;
      if (strategy) {
        const running: Trial[] = [...pending.entries()].map(([n, q]) => ({
          number: n,
          params: q,
          state: 'running',
        }));
        params = strategy.ask([...history, ...running], { count: 1 }).params[0];
      } else if (optuna) params = await optuna.ask(id);
      if (!params) {
        exhausted = true;
        break;
      }
      const screen = screenOf(params);
      if (screening && (screen.screened || (screen.predicted && learner.screens(screen.predicted)))) {
        result.screened++;
        if (!screen.screened && truthOf(params).ok) result.wronglyScreened++;
        // As the study hands it to its strategy: with the failure screening predicted.
        const failureReason = screen.screened ? screen.kind : 'oom';
        history.push({ number: number++, params, state: 'invalid', failureReason });
        continue;
      }
      launch(number++, params, screen.predicted);
    }
    await settle();
    if (inFlight.size === 0) break;
    // The next trial to finish: the clock moves to it, its GPUs go back to the pool.
    const next = [...inFlight.values()].sort(
      (a, b) => a.finishMs - b.finishMs || a.number - b.number,
    )[0] as InFlight;
    inFlight.delete(next.number);
    nowMs = next.finishMs;
    result.wallMs = nowMs;
    await finish(next);
    next.lease.release();
    await settle();
  }
  if (optuna) await optuna.drop(id);
  return result;
}

// Screening as the study does it, worked out once per configuration.
function cachedScreen(p: MfProblem): (params: Params) => ScreenResult {
  const cache = new Map<string, ScreenResult>();
  return (params) => {
    const key = JSON.stringify(params);
    let screened = cache.get(key);
    if (!screened) {
      screened = p.screen(params);
      cache.set(key, screened);
    }
    return screened;
  };
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

/** Where a study's trials run: one at a time, or one in flight per GPU of a host. */
interface Placement {
  label: string;
  parallel(p: MfProblem): number;
}

const PLACEMENTS: Placement[] = [
  { label: 'sequential', parallel: () => 1 },
  { label: "pool of the problem's GPUs", parallel: (p) => p.gpus },
  { label: `pool of a ${HOST_GPUS}-GPU host`, parallel: (p) => Math.max(HOST_GPUS, p.gpus) },
];

async function main(): Promise<void> {
  const problems = await multiFidelityProblems();
  const arms: Arm[] = ['default', 'default+screening', 'default+screening+prior'];
  const optuna = values.optuna ? new OptunaClient() : undefined;
  if (optuna) arms.push('tpe', 'tpe-startup5');
  // Per arm, per placement (TPE is asked one trial at a time: sequential only).
  const results = new Map<Arm, RunResult[][]>(arms.map((a) => [a, PLACEMENTS.map(() => [])]));
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
      for (const arm of arms) {
        const byPlacement = results.get(arm) as RunResult[][];
        for (const [i, placement] of PLACEMENTS.entries()) {
          if (i > 0 && arm.startsWith('tpe')) continue;
          const parallel = placement.parallel(p);
          (byPlacement[i] as RunResult[]).push(
            await runArm(arm, p, seed, truthOf, optimum, i === 0 ? optuna : undefined, parallel),
          );
        }
      }
    }
  }
  await optuna?.close();
  const hours = (ms: number) => (Number.isFinite(ms) ? (ms / 3.6e6).toFixed(2) : 'never');
  const median = (xs: readonly number[]) => quantile(xs, 0.5);
  const failuresOf = (runs: readonly RunResult[]) => runs.reduce((s, r) => s + r.startFailures, 0);
  const runsOf = (arm: Arm, i: number) => results.get(arm)?.[i] ?? [];
  const fewer = (arm: Arm, i: number) => {
    const base = failuresOf(runsOf('default', i));
    return arm !== 'default' && base > 0
      ? `, ${((1 - failuresOf(runsOf(arm, i)) / base) * 100).toFixed(0)}% fewer`
      : '';
  };
  const lines = [
    `${problems.length} problems x ${SEEDS} seeds (hidden deviation per seed), budget ${BUDGET} launched trials, ${NOISE_CV * 100}% noise`,
    '',
    'One trial at a time:',
    '',
    '| strategy | launched trials to within 1%: median (p90) | never within budget | start-up failures launched per run (share of launches) | screened by what the study learnt although it would have started | simulated wall time per run, median (h) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const arm of arms) {
    const runs = runsOf(arm, 0);
    const reached = runs.map((r) => r.toOnePercent ?? BUDGET + 1);
    const never = runs.filter((r) => r.toOnePercent === undefined).length;
    const failures = failuresOf(runs);
    const launches = runs.reduce((s, r) => s + r.launched, 0);
    const wrong = runs.reduce((s, r) => s + r.wronglyScreened, 0);
    lines.push(
      `| ${arm} | ${median(reached)} (${quantile(reached, 0.9)}) | ${never} of ${runs.length} | ${(failures / runs.length).toFixed(2)} (${((100 * failures) / Math.max(1, launches)).toFixed(1)}%${fewer(arm, 0)}) | ${arm.startsWith('default+screening') ? wrong : '-'} | ${hours(median(runs.map((r) => r.wallMs)))} |`,
    );
  }
  const labels = PLACEMENTS.map((p) => p.label).join(' / ');
  lines.push(
    '',
    `Placements: ${labels}; in a pool, one trial in flight per GPU at most, each holding its tensor-parallel GPUs from the study's GpuPool.`,
    '',
    `| strategy | simulated wall time per run, median (h) | time until a configuration within 1% was measured, median (h) | launched trials to within 1%, median | start-up failures launched per run | screened by what the study learnt although it would have started |`,
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const arm of arms.filter((a) => !a.startsWith('tpe'))) {
    const per = PLACEMENTS.map((_, i) => runsOf(arm, i));
    const toOne = (rs: readonly RunResult[]) => median(rs.map((r) => r.toOnePercentMs ?? Infinity));
    lines.push(
      `| ${arm} | ${per.map((rs) => hours(median(rs.map((r) => r.wallMs)))).join(' / ')} | ${per.map((rs) => hours(toOne(rs))).join(' / ')} | ${per.map((rs) => median(rs.map((r) => r.toOnePercent ?? BUDGET + 1))).join(' / ')} | ${per.map((rs, i) => `${(failuresOf(rs) / rs.length).toFixed(2)}${fewer(arm, i)}`).join(' / ')} | ${arm === 'default' ? '-' : per.map((rs) => rs.reduce((s, r) => s + r.wronglyScreened, 0)).join(' / ')} |`,
    );
  }
  lines.push(
    '',
    `Configurations screened before any launch that would have started: ${wronglyScreened} of ${startingConfigs} starting configurations (all problems and seeds); true optimum screened out: ${optimumScreened} times.`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
