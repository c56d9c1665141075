// Shared entry of estimate() and runVirtual(): validate the workload, resolve the configuration, check start-up.
import { InvalidOptionError } from '../errors.js';
import type { MemoryPlan } from './memory-plan.js';
import { isResolvedSimConfig, resolveSimConfig, type SimConfig, type SimConfigInput } from './sim-config.js';
import { checkStartup, type StartupFailure } from './startup.js';

/** A steady workload: fixed prompt and output lengths, a closed loop of clients or Poisson arrivals. */
export interface SimWorkload {
  promptTokens: number;
  outputTokens: number;
  /** Clients that each send the next request as soon as the previous one finishes (closed loop). */
  concurrency?: number;
  /** Poisson arrivals per second (open loop); used when `concurrency` is not set. */
  requestRatePerS?: number;
  /** Leading prompt tokens every request shares (hits the prefix cache). @default 0 */
  sharedPrefixTokens?: number;
}

/** Throws InvalidOptionError for a workload that cannot be run (a caller's mistake, not a configuration's). */
export function validateWorkload(workload: SimWorkload): void {
  const positiveInt = (name: keyof SimWorkload, value: unknown) => {
    if (!Number.isInteger(value) || (value as number) < 1)
      throw new InvalidOptionError(`workload.${name}`, value, 'an integer >= 1');
  };
  positiveInt('promptTokens', workload.promptTokens);
  positiveInt('outputTokens', workload.outputTokens);
  if (workload.concurrency !== undefined) positiveInt('concurrency', workload.concurrency);
  else if (!(typeof workload.requestRatePerS === 'number' && workload.requestRatePerS > 0))
    throw new InvalidOptionError(
      'workload.requestRatePerS',
      workload.requestRatePerS,
      'a number > 0 (or set concurrency)',
    );
  const shared = workload.sharedPrefixTokens ?? 0;
  if (!(Number.isInteger(shared) && shared >= 0))
    throw new InvalidOptionError('workload.sharedPrefixTokens', shared, 'an integer >= 0');
}

/** A configuration ready to model, or the failure a real engine would report for it. */
export type PreparedRun =
  | { ok: true; config: SimConfig; plan: MemoryPlan; startupMs: number }
  | { ok: false; failure: StartupFailure };

/** Resolves and checks a configuration for a workload; bad option values become `invalid-config` failures. */
export function prepareRun(input: SimConfig | SimConfigInput, workload: SimWorkload): PreparedRun {
  validateWorkload(workload);
  let config: SimConfig;
  try {
    config = isResolvedSimConfig(input) ? input : resolveSimConfig(input);
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    return { ok: false, failure: { kind: 'invalid-config', message: error.message, atMs: 0 } };
  }
  const startup = checkStartup(config);
  if (!startup.ok) return { ok: false, failure: startup.failure };
  const length = workload.promptTokens + workload.outputTokens;
  if (length > config.maxModelLen)
    return {
      ok: false,
      failure: {
        kind: 'invalid-config',
        message: `Requests of ${length} tokens exceed max_model_len (${config.maxModelLen}); the engine would reject every one`,
        atMs: 0,
      },
    };
  return { ok: true, config, plan: startup.plan, startupMs: startup.startupMs };
}
