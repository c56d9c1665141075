// The study loop: ask the strategy for as many configurations as there are free slots, run them
// concurrently, journal each finished trial before telling the strategy, stop on budget or exhaustion.
import { setMaxListeners } from 'node:events';
import type { SuggestionOrigin } from '../search/strategy.js';
import type { Params, Trial } from '../search/trial.js';
import { isNotLaunched, type PlannedTrial, type TrialRecord } from './trial-record.js';
import { runTrial, type TrialRunnerDeps } from './trial-runner.js';

/** One configuration to try, with why the strategy suggested it when it says. */
export interface Suggestion {
  params: Params;
  origin?: SuggestionOrigin | undefined;
}

/** What the loop needs from a search strategy. */
export interface LoopStrategy {
  /** Up to `count` new configurations given the history and the configurations still running. */
  ask(history: readonly Trial[], count: number, pending: readonly Params[]): Promise<Suggestion[]>;
  /** A reason to stop searching early (e.g. no expected improvement left), or undefined. */
  stopReason?(history: readonly Trial[]): string | undefined;
}

/** Inputs of runTrials. */
export interface RunTrialsOptions {
  deps: TrialRunnerDeps;
  /** Proposes `search` trials; absent when `queue` lists every trial to run (confirmation). */
  strategy?: LoopStrategy;
  /** Fixed list of trials to run (confirmation phase). */
  queue?: PlannedTrial[];
  /** Finished trials so far (replayed from the journal on resume); appended to as trials finish. */
  history: TrialRecord[];
  /** Number given to the next trial. */
  nextNumber: number;
  /** Search trials allowed in total (history included). */
  maxTrials: number;
  maxParallel: number;
  /** Monotonic clock time after which no new trial starts. */
  deadlineMs?: number | undefined;
  /** Durably records a finished trial; called before the strategy sees it. */
  record(trial: TrialRecord): Promise<void>;
}

/** Runs trials until the budget, the strategy or the queue ends; resolves with the reason it stopped. */
export async function runTrials(
  options: RunTrialsOptions,
  signal: AbortSignal,
): Promise<{ reason: string; nextNumber: number }> {
  const { deps, history } = options;
  const internal = new AbortController();
  const loopSignal = AbortSignal.any([signal, internal.signal]);
  // Every trial in flight listens on these (its GPU request, its evaluation): a wide cluster runs dozens at once.
  setMaxListeners(Math.max(10, options.maxParallel * 4), loopSignal, signal);
  // `finished`: in history already, only its journal line is still being written.
  const inFlight = new Map<number, { params: Params; done: Promise<void>; finished: boolean }>();
  const queue = [...(options.queue ?? [])];
  let nextNumber = options.nextNumber;
  let reason: string | undefined;
  let fatal: unknown;

  const unfinished = () => [...inFlight.values()].filter((t) => !t.finished);
  // A trial counts once: in flight until it joins the history, then in the history. Configurations recorded
  // without a launch (screened, known to fail) do not use the budget, up to `screenedAllowance` of them (a
  // strategy that keeps proposing such ones still ends).
  const screenedAllowance = 4 * options.maxTrials;
  const searchCount = () => {
    let launched = 0;
    let screened = 0;
    for (const t of history) if (t.phase === 'search') isNotLaunched(t) ? screened++ : launched++;
    const unfinishedCount = options.strategy ? unfinished().length : 0;
    return launched + Math.max(0, screened - screenedAllowance) + unfinishedCount;
  };
  const start = (planned: PlannedTrial) => {
    const entry = { params: planned.params, done: Promise.resolve(), finished: false };
    // The record is journaled (and its event sent) before the trial's GPUs return to the pool, so events never
    // show the next trial on GPUs that a finished one still seems to hold.
    const done = runTrial(planned, deps, loopSignal, async (record) => {
      entry.finished = true;
      history.push(record);
      await options.record(record);
    })
      .then(() => undefined)
      .catch((error: unknown) => {
        if (fatal === undefined && !signal.aborted) fatal = error;
        internal.abort(error);
      })
      .finally(() => inFlight.delete(planned.number));
    entry.done = done;
    inFlight.set(planned.number, entry);
  };

  try {
    for (;;) {
      if (signal.aborted || fatal !== undefined) break;
      if (reason === undefined) {
        if (options.strategy) {
          if (searchCount() >= options.maxTrials)
            reason = `reached the budget of ${options.maxTrials} trials`;
          else if (options.deadlineMs !== undefined && deps.clock.now() >= options.deadlineMs)
            reason = 'reached the wall-time budget';
          else if (inFlight.size === 0) reason = options.strategy.stopReason?.(history);
        } else if (queue.length === 0) {
          reason = 'all queued trials ran';
        }
      }
      const free = options.maxParallel - inFlight.size;
      if (reason === undefined && free > 0) {
        if (options.strategy) {
          const count = Math.min(free, options.maxTrials - searchCount());
          const pending = unfinished().map((t) => t.params);
          const batch = await options.strategy.ask(history, count, pending);
          // Nothing left to propose: the strategy's own reason when it gives one (every configuration left too
          // wide for the GPUs, say).
          if (batch.length === 0 && inFlight.size === 0)
            reason = options.strategy.stopReason?.(history) ?? 'the search space is exhausted';
          for (const { params, origin } of batch.slice(0, count))
            start({ number: nextNumber++, params, phase: 'search', ...(origin ? { origin } : {}) });
        } else {
          for (const planned of queue.splice(0, free)) {
            start(planned);
            nextNumber = Math.max(nextNumber, planned.number + 1);
          }
        }
      }
      if (inFlight.size === 0) {
        if (reason !== undefined) break;
        continue;
      }
      await Promise.race([...inFlight.values()].map((t) => t.done));
    }
  } finally {
    if (signal.aborted || fatal !== undefined) internal.abort(signal.reason ?? fatal);
    await Promise.allSettled([...inFlight.values()].map((t) => t.done));
  }
  if (signal.aborted) throw signal.reason;
  if (fatal !== undefined) throw fatal;
  return { reason: reason ?? 'stopped', nextNumber };
}
