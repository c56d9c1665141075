// One benchmark run: a strategy (ours, batched, or Optuna's over its pipe) against a solved problem, counting
// the trials until the first feasible configuration and until one within 5% / 1% of the optimum.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { SearchStrategy } from '../../src/search/strategy.js';
import type { Params, Trial } from '../../src/search/trial.js';
import { createRng } from '../../src/util/rng.js';
import type { OptunaClient } from './optuna-client.js';
import { feasible, gap, measure, type SolvedProblem } from './problem.js';

/** Trial numbers (1-based) of the first feasible, within-5% and within-1% configurations; Infinity = never. */
export interface RunResult {
  firstFeasible: number;
  within5: number;
  within1: number;
}

/** A strategy seen one configuration at a time. */
export type Asker = {
  ask(history: Trial[]): Promise<Params>;
  tell(trial: Trial): Promise<void>;
  done(): Promise<void>;
};

/**
 * Parallel trials in lockstep: asks `size` configurations at once (the earlier ones pending as `running`) and
 * hands them out one by one; the strategy sees a batch's results only when the whole batch is done.
 */
export function batched(strategy: SearchStrategy, size: number): Asker {
  let buffer: Params[] = [];
  return {
    async ask(history) {
      if (buffer.length === 0) buffer = strategy.ask(history, { count: size }).params;
      const params = buffer.shift();
      if (params === undefined) throw new Error('exhausted');
      return params;
    },
    async tell() {},
    async done() {},
  };
}

/** One configuration per ask, each told before the next. */
export const sequential = (strategy: SearchStrategy): Asker => batched(strategy, 1);

let studyCounter = 0;

/** An Optuna TPE study over the client's pipe (`startup` start-up trials, or Optuna's default when null). */
export async function optunaAsker(
  client: OptunaClient,
  p: SolvedProblem,
  seed: number,
  startup: number | null,
): Promise<Asker> {
  const id = `s${studyCounter++}`;
  await client.create(id, p.space, seed, startup);
  return {
    ask: () => client.ask(id),
    tell: (trial) =>
      trial.state === 'complete'
        ? client.tell(id, 'complete', trial.values?.[0], trial.constraints)
        : client.tell(id, 'fail'),
    done: () => client.drop(id),
  };
}

/** Runs up to `budget` trials with 5% measurement noise; judged on the true values of what was evaluated. */
export async function runOne(
  p: SolvedProblem,
  asker: Asker,
  seed: number,
  budget: number,
): Promise<RunResult> {
  const rng = createRng(seed).fork(`noise:${p.name}`);
  const history: Trial[] = [];
  const result: RunResult = { firstFeasible: Infinity, within5: Infinity, within1: Infinity };
  for (let n = 1; n <= budget; n++) {
    let params: Params;
    try {
      params = await asker.ask(history);
    } catch {
      break;
    }
    const trial = measure(p, history.length, params, rng);
    history.push(trial);
    await asker.tell(trial);
    // Judged on the true (noise-free) value of what was evaluated, so noise cannot fake a win.
    const outcome = p.evaluate(params);
    if (feasible(outcome)) {
      result.firstFeasible = Math.min(result.firstFeasible, n);
      const g = gap(p, outcome.objective);
      if (g <= 0.05) result.within5 = Math.min(result.within5, n);
      if (g <= 0.01) result.within1 = Math.min(result.within1, n);
    }
    if (result.within1 <= n) break;
    if (n % 5 === 0) await yieldToLoop();
  }
  await asker.done();
  return result;
}
