// One benchmark run: a strategy (ours, batched, or Optuna's over its pipe) against a solved problem, counting
// the trials until the first feasible configuration and until one within 5% / 1% of the optimum.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { SearchStrategy } from '../../src/search/strategy.js';
import type { Params, Trial } from '../../src/search/trial.js';
import type { MemoryBiasLearner } from '../../src/sim/screen-learning.js';
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

/** What a study with the analytic model does around its strategy: screening, and learning from launches. */
export interface Screening {
  /** Screening's verdict on a configuration, with the model's memory prediction. */
  screen: StudyScreen;
  learner: MemoryBiasLearner;
  /** The KV capacity (tokens) a started engine reports. */
  kvCapacityTokens(params: Params): number | undefined;
  /** Screened configurations that do not count against the budget (the study's allowance: 4 x its budget). */
  allowance: number;
}

/** The static screen of a configuration: screened or not, with the model's memory prediction. */
export type StudyScreen = (params: Params) => {
  screened: boolean;
  kind?: string;
  predicted?: Parameters<MemoryBiasLearner['startChance']>[0];
};

/**
 * Parallel trials in lockstep as a study with the analytic model runs them: a configuration the model screens
 * (statically, or by what the launches taught) is recorded in the strategy's history as `invalid` (`screened`)
 * without a launch and the strategy is asked again; launch outcomes teach the memory learner (out of memory, or
 * started with the KV capacity the engine reported). Screened configurations do not count as trials.
 */
export function screenedBatched(strategy: SearchStrategy, size: number, screening: Screening): Asker {
  const { screen, learner } = screening;
  const seen: Trial[] = [];
  const buffer: Params[] = [];
  let screened = 0;
  let filling = false;
  const pending = (): Trial[] =>
    buffer.map((params, i) => ({ number: seen.length + i, params, state: 'running' }));
  // Why the study would not launch a configuration (as the strategy sees it: the screen's kind), or undefined.
  const screenedAs = (params: Params): string | undefined => {
    const s = screen(params);
    if (s.screened) return s.kind ?? 'screened';
    return s.predicted !== undefined && learner.screens(s.predicted) ? 'oom' : undefined;
  };
  return {
    async ask() {
      // A new batch (the last one is done): ask until it is full, as a study fills its free slots.
      while (buffer.length === 0 || (filling && buffer.length < size)) {
        filling = true;
        const asked = strategy.ask([...seen, ...pending()], { count: size - buffer.length }).params;
        if (asked.length === 0) break;
        for (const params of asked) {
          const kind = screened < screening.allowance ? screenedAs(params) : undefined;
          if (kind !== undefined) {
            screened++;
            seen.push({ number: seen.length, params, state: 'invalid', failureReason: kind });
          } else buffer.push(params);
        }
      }
      filling = false;
      const params = buffer.shift();
      if (params === undefined) throw new Error('exhausted');
      return params;
    },
    async tell(trial) {
      seen.push({ ...trial, number: seen.length });
      const predicted = screen(trial.params).predicted;
      if (!predicted) return;
      if (trial.state === 'complete')
        learner.observe(predicted, 'started', screening.kvCapacityTokens(trial.params));
      else if (trial.failureReason === 'oom' || trial.failureReason === 'kv-too-small')
        learner.observe(predicted, 'out-of-memory');
    },
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

/**
 * Runs up to `budget` trials with 5% measurement noise; judged on the true values of what was evaluated. A
 * layout wider than the GPUs is refused before launch, as a study refuses it: recorded in the history as
 * `invalid` (`no-capacity`) for the strategy to learn from, not counted as a trial (up to 4 x the budget).
 */
export async function runOne(
  p: SolvedProblem,
  asker: Asker,
  seed: number,
  budget: number,
): Promise<RunResult> {
  const rng = createRng(seed).fork(`noise:${p.name}`);
  const history: Trial[] = [];
  const result: RunResult = { firstFeasible: Infinity, within5: Infinity, within1: Infinity };
  let refused = 0;
  let n = 0;
  while (n < budget) {
    let params: Params;
    try {
      params = await asker.ask(history);
    } catch {
      break;
    }
    const trial = measure(p, history.length, params, rng);
    if (trial.failureReason === 'no-capacity' && refused < 4 * budget) {
      refused++;
      const invalid: Trial = { ...trial, state: 'invalid' };
      history.push(invalid);
      await asker.tell(invalid);
      continue;
    }
    n++;
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
