// The SearchStrategy contract: ask for configurations given the trial history; no hidden state.
import { InvalidOptionError } from '../errors.js';
import type { SearchSpace } from './param-spec.js';
import type { Params, Trial } from './trial.js';

/** Options of one ask. */
export interface AskOptions {
  /** How many configurations to suggest at once (for parallel trials). @default 1 */
  count?: number;
}

/** Why a strategy advises ending the study. */
export interface StopAdvice {
  /** Stable kind, e.g. `exhausted` or `no-expected-improvement`. */
  kind: string;
  /** Human-readable explanation with the figures that triggered it. */
  reason: string;
}

/**
 * Why a strategy suggested a configuration: the engine `defaults`, a user's `initial` configuration, an SLO
 * `repair` step, a space-filling `design` (Latin hypercube), the surrogate `model`, the next `grid` point, or a
 * `random` draw. `note` says more in words.
 */
export interface SuggestionOrigin {
  kind: 'defaults' | 'initial' | 'repair' | 'design' | 'model' | 'grid' | 'random';
  note?: string;
}

/** Answer of an ask. */
export interface AskResult {
  /**
   * Configurations to evaluate next, all inside the space and its constraints, distinct from each other
   * and from every configuration in the history. Fewer than asked for (possibly none) when exhausted.
   */
  params: Params[];
  /** True when, besides the history and the returned configurations, the space holds none left. */
  exhausted: boolean;
  /** Set when the strategy advises stopping; the study decides. */
  stop?: StopAdvice;
  /** Why each configuration was suggested, in the order of `params` (strategies that explain themselves). */
  origins?: SuggestionOrigin[];
}

/**
 * A search strategy. `ask` is a pure function of (space, options, seed, history): the strategy keeps no
 * state, so a resumed study that replays its history continues identically. Telling a result is
 * appending the finished trial to the history. Pending trials (state `running`) count as taken.
 */
export interface SearchStrategy {
  /** Short identifier, e.g. `grid`, `random`, `lhs`, `bayes`. */
  readonly name: string;
  readonly space: SearchSpace;
  ask(history: readonly Trial[], options?: AskOptions): AskResult;
}

/** Validated `count` of an ask. */
export function askCount(options: AskOptions | undefined): number {
  const count = options?.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new InvalidOptionError('count', count, 'an integer >= 1');
  return count;
}
