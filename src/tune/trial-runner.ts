// Runs one planned trial: validate, lease GPUs, evaluate under a timeout, score, and build its record.
import { ClusterCapacityError } from '../errors.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { GpuLease, GpuPool } from '../gpu/gpu-pool.js';
import type { Params } from '../search/trial.js';
import type { Clock } from '../util/clock.js';
import { classifyTrialFailure } from './classify-trial-failure.js';
import type { TrialEvaluator } from './evaluator.js';
import type { StudyEvent } from './events.js';
import type { Scorer } from './scorer.js';
import type { StudyModel } from './study-model.js';
import type { PlannedTrial, TrialRecord } from './trial-record.js';

/** Everything runTrial needs from the study. */
export interface TrialRunnerDeps {
  evaluator: TrialEvaluator;
  scorer: Scorer;
  /** Undefined when GPUs are scheduled elsewhere (Kubernetes) or not used. */
  pool: GpuPool | undefined;
  clock: Clock;
  trialTimeoutMs: number;
  emit(event: StudyEvent): void;
  pruning: boolean;
  /**
   * On a cluster: why a server of `worldSize` GPUs can never run there (it needs more than the largest node has),
   * or undefined. Such a trial is recorded `invalid` (`no-capacity`) before anything launches.
   */
  unfit?(worldSize: number): Error | undefined;
  /**
   * Pause before a trial the cluster could not schedule for now (its GPUs taken by something the study does
   * not know) tries again, its GPUs back in the pool meanwhile. @default 1000
   */
  capacityRetryMs?: number;
  /**
   * The study's analytic model: a baseline or search configuration it screens is recorded `invalid`
   * (`screened`) without launching; a launched one records the model's prediction beside its measurements.
   */
  model?: Pick<StudyModel, 'screen' | 'predict' | 'margin'> | undefined;
  /**
   * Why a configuration is not launched again (its launch line failed to start in an earlier study: the outcome
   * store or the warm-start journal), or undefined. Such a trial is recorded `invalid` (`known-failure`).
   */
  knownFailure?(params: Params): string | undefined;
}

// Resolves after `ms`, or at once when the signal aborts (the caller checks it).
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function isoAt(clock: Clock): string {
  return new Date(clock.wallMs()).toISOString();
}

/**
 * Runs one trial to a record and hands it to `finished` (journal, events) before its GPUs go back to the pool;
 * never throws except when the study's own signal aborts or `finished` fails.
 */
export async function runTrial(
  planned: PlannedTrial,
  deps: TrialRunnerDeps,
  studySignal: AbortSignal,
  finished: (record: TrialRecord) => Promise<void> = async () => undefined,
): Promise<TrialRecord> {
  const held: { lease: GpuLease | undefined } = { lease: undefined };
  try {
    const record = await evaluateTrial(planned, deps, studySignal, held);
    await finished(record);
    return record;
  } finally {
    held.lease?.release();
  }
}

async function evaluateTrial(
  planned: PlannedTrial,
  deps: TrialRunnerDeps,
  studySignal: AbortSignal,
  held: { lease: GpuLease | undefined },
): Promise<TrialRecord> {
  const startedMs = deps.clock.now();
  const startedAt = isoAt(deps.clock);
  const base = {
    number: planned.number,
    params: planned.params,
    phase: planned.phase,
    ...(planned.confirmOf !== undefined ? { confirmOf: planned.confirmOf } : {}),
    ...(planned.origin !== undefined ? { origin: planned.origin } : {}),
    startedAt,
  };
  // When the trial first held its GPUs: its lease, as another study sharing the host saw it.
  let gpusHeldAt: string | undefined;
  const finish = (rest: Omit<TrialRecord, keyof typeof base | 'finishedAt' | 'durationMs'>): TrialRecord => ({
    ...base,
    ...rest,
    ...(gpusHeldAt === undefined ? {} : { gpusHeldAt }),
    finishedAt: isoAt(deps.clock),
    durationMs: deps.clock.now() - startedMs,
  });

  const plan = deps.evaluator.plan(planned.params);
  if (plan.problems.length > 0) {
    // A layout wider than the study's GPUs is a capacity refusal, as on a cluster with no node large enough.
    const reason = plan.noCapacity ? 'no-capacity' : 'invalid-parameters';
    return finish({
      state: 'invalid',
      feasible: false,
      failureReason: reason,
      failure: { reason, message: plan.problems.join('; ') },
      worldSize: plan.worldSize,
      gpuIndices: [],
    });
  }

  const refusal = plan.worldSize > 0 ? deps.unfit?.(plan.worldSize) : undefined;
  if (refusal) {
    const failure = classifyTrialFailure(refusal);
    return finish({
      state: 'invalid',
      feasible: false,
      failureReason: failure.reason,
      failure,
      worldSize: plan.worldSize,
      gpuIndices: [],
    });
  }

  // Confirmation runs re-measure configurations that were measured: never screened.
  const screened = planned.phase === 'confirm' ? undefined : deps.model?.screen(planned.params);
  if (screened && deps.model) {
    const { kind, reason, predicted } = screened;
    return finish({
      state: 'invalid',
      feasible: false,
      failureReason: 'screened',
      failure: { reason: 'screened', message: `not launched: ${reason}` },
      screened: { kind, reason, margin: deps.model.margin, ...(predicted ? { predicted } : {}) },
      worldSize: plan.worldSize,
      gpuIndices: [],
    });
  }

  const known = planned.phase === 'confirm' ? undefined : deps.knownFailure?.(planned.params);
  if (known !== undefined)
    return finish({
      state: 'invalid',
      feasible: false,
      failureReason: 'known-failure',
      failure: { reason: 'known-failure', message: `not launched again: ${known}` },
      worldSize: plan.worldSize,
      gpuIndices: [],
    });

  // The trial's time starts once it first holds its GPUs (waiting in the pool's queue is not its time).
  // AbortSignal.any holds its sources weakly: the timeout signal is kept in a variable read after the await, or it
  // can be garbage-collected before it fires and the trial would never time out.
  let timeoutSignal: AbortSignal | undefined;
  let trialSignal: AbortSignal = studySignal;
  let gpus: GpuInfo[] = [];
  let evaluation: Awaited<ReturnType<TrialEvaluator['evaluate']>> | undefined;
  // A cluster that cannot place the trial now (not ever: that is `unfit`) is short of capacity, not shown a bad
  // configuration: the trial gives its GPUs back, waits, and tries again until it runs or its time is up.
  let capacityWaits = 0;
  let lastCapacity: ClusterCapacityError | undefined;
  let started = false;
  while (evaluation === undefined) {
    const lease =
      deps.pool && plan.worldSize > 0
        ? await deps.pool.acquire(plan.worldSize, { signal: studySignal })
        : undefined;
    held.lease = lease;
    gpus = lease ? [...lease.gpus] : [];
    if (!started) {
      started = true;
      if (lease) gpusHeldAt = isoAt(deps.clock);
      timeoutSignal = AbortSignal.timeout(deps.trialTimeoutMs);
      trialSignal = AbortSignal.any([studySignal, timeoutSignal]);
      deps.emit({
        type: 'trial-started',
        trial: planned.number,
        phase: planned.phase,
        params: planned.params,
        gpus: gpus.map((g) => g.index),
        ...(gpus[0]?.host !== undefined ? { node: gpus[0].host } : {}),
        ...(planned.origin !== undefined ? { origin: planned.origin } : {}),
      });
    }
    try {
      evaluation = await deps.evaluator.evaluate({
        trial: planned,
        gpus,
        signal: trialSignal,
        emit: deps.emit,
        // Only search trials are pruned: the baseline and confirmation runs are measured in full, because the
        // comparison with the defaults and the choice of the winner read their numbers.
        ...(deps.pruning && planned.phase === 'search'
          ? { shouldPrune: (done, count, bounds) => deps.scorer.provenLost(done, count, bounds) }
          : {}),
      });
    } catch (error) {
      if (studySignal.aborted) throw studySignal.reason;
      const transient = error instanceof ClusterCapacityError && !error.permanent;
      if (transient && !timeoutSignal?.aborted) {
        lastCapacity = error;
        capacityWaits++;
        lease?.release();
        held.lease = undefined;
        await pause(deps.capacityRetryMs ?? 1000, trialSignal);
        if (studySignal.aborted) throw studySignal.reason;
        if (!timeoutSignal?.aborted) continue;
      }
      const failure =
        lastCapacity && (transient || timeoutSignal?.aborted)
          ? {
              ...classifyTrialFailure(lastCapacity),
              message: `${lastCapacity.message} (still no room after ${capacityWaits} attempt(s) within ${deps.trialTimeoutMs} ms)`,
            }
          : timeoutSignal?.aborted
            ? { reason: 'trial-timeout' as const, message: `Trial exceeded ${deps.trialTimeoutMs} ms` }
            : classifyTrialFailure(error);
      return finish({
        state: 'failed',
        feasible: false,
        failureReason: failure.reason,
        failure,
        worldSize: plan.worldSize,
        gpuIndices: gpus.map((g) => g.index),
        ...(gpus[0]?.host !== undefined ? { node: gpus[0].host } : {}),
        ...(capacityWaits > 0 ? { capacityWaits } : {}),
      });
    }
  }
  if (studySignal.aborted) throw studySignal.reason;
  const common = {
    worldSize: plan.worldSize,
    gpuIndices: gpus.map((g) => g.index),
    ...(gpus[0]?.host !== undefined ? { node: gpus[0].host } : {}),
    ...(capacityWaits > 0 ? { capacityWaits } : {}),
    ...(evaluation.via !== undefined ? { via: evaluation.via } : {}),
    ...(evaluation.startupMs !== undefined ? { startupMs: evaluation.startupMs } : {}),
    ...(evaluation.kvCapacityTokens !== undefined ? { kvCapacityTokens: evaluation.kvCapacityTokens } : {}),
    ...(evaluation.benchmarkMs !== undefined ? { benchmarkMs: evaluation.benchmarkMs } : {}),
    ...(evaluation.manifest ? { manifest: evaluation.manifest } : {}),
  };
  const predicted = deps.model?.predict(planned.params);
  if (evaluation.state === 'failed' || !evaluation.metrics) {
    const failure = evaluation.failure ?? { reason: 'unknown' as const, message: 'no measurements' };
    return finish({
      state: 'failed',
      feasible: false,
      failureReason: failure.reason,
      failure,
      ...common,
      ...(predicted ? { predicted } : {}),
    });
  }
  const score = deps.scorer.score(evaluation.metrics, plan.worldSize);
  return finish({
    state: evaluation.state === 'pruned' ? 'pruned' : 'complete',
    metrics: evaluation.metrics,
    ...(evaluation.levels ? { levels: evaluation.levels } : {}),
    ...(evaluation.clientLimited?.length ? { clientLimited: evaluation.clientLimited } : {}),
    ...(evaluation.telemetry ? { telemetry: evaluation.telemetry } : {}),
    ...(evaluation.diagnosis?.length ? { diagnosis: evaluation.diagnosis } : {}),
    values: score.values,
    constraints: score.constraints,
    objective: score.objective,
    penalty: score.penalty,
    feasible: evaluation.state === 'complete' && score.feasible,
    ...common,
    ...(predicted ? { predicted } : {}),
  });
}
