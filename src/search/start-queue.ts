// The configurations a strategy evaluates before it samples: the space defaults (unless turned off) and the
// caller's initial configurations, each checked against the space.
import { InvalidOptionError } from '../errors.js';
import type { BayesStrategyOptions } from './bayes-options.js';
import type { SearchSpace } from './param-spec.js';
import { defaultParams, spaceViolations } from './space-checks.js';
import type { Params } from './trial.js';

/** The configurations evaluated first, and how many of them (0 or 1) are the space defaults. */
export function startQueue(
  space: SearchSpace,
  options: BayesStrategyOptions,
): { queue: Params[]; queueDefaults: number } {
  const queue: Params[] = [];
  const defaults = options.useDefaults === false ? undefined : defaultParams(space);
  if (defaults !== undefined && spaceViolations(space, defaults).length === 0) queue.push(defaults);
  (options.initial ?? []).forEach((params, i) => {
    const problems = spaceViolations(space, params);
    if (problems.length > 0)
      throw new InvalidOptionError(
        `initial[${i}]`,
        params,
        `a configuration of the space (${problems.join('; ')})`,
      );
    queue.push(params);
  });
  return { queue, queueDefaults: queue.length - (options.initial ?? []).length };
}
