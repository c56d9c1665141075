// study() and tune(): validate options, open or resume the journal, run baseline, search and confirmation
// trials on the GPU pool, publish events, and assemble the result.
import { createController } from '../controllers/create-controller.js';
import type { Controller } from '../controllers/types.js';
import { errorMessage } from '../errors.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { compareTrials, paretoFront } from '../slo/compare-trials.js';
import { type Clock, systemClock } from '../util/clock.js';
import { defaultLogger, type Logger } from '../util/logger.js';
import { registerSecret, SECRET_KEY_PATTERN } from '../util/redact.js';
import { assembleResult } from './assemble-result.js';
import { type CheckedStudy, checkStudy, isCheckedStudy, reviewStudy, studyGpus } from './check-study.js';
import { type ClusterPool, capacityReader, openClusterPool } from './cluster-pool.js';
import { planConfirmation, summarizeConfirmation } from './confirm.js';
import { createScorer } from './create-scorer.js';
import { createStudyStrategy, loopStrategy } from './create-strategy.js';
import { createEngineEvaluator } from './engine-evaluator.js';
import { createEstimateEvaluator } from './estimate-evaluator.js';
import type { TrialEvaluator } from './evaluator.js';
import { EventChannel } from './event-channel.js';
import type { StudyEvent } from './events.js';
import { type HostPool, openHostPool } from './host-pool.js';
import { openStudyJournal } from './journal/open-study-journal.js';
import { logStudyEvent } from './log-study-events.js';
import { OptionsError } from './options-error.js';
import type { TuneOptionsInput } from './options-schema.js';
import type { StudyGpus } from './resolve-gpus.js';
import type { ResolvedOptions } from './resolve-options.js';
import { restoreSecrets } from './restore-secrets.js';
import type { TuneResult } from './result.js';
import { runTrials } from './run-trials.js';
import type { SharedGpuPools } from './shared-gpu-pools.js';
import { libraryVersion, studyIdentity } from './study-identity.js';
import { openStudyKnowledge } from './study-knowledge.js';
import { isNotLaunched, type TrialRecord } from './trial-record.js';

/** How a study is run (beside its options). */
export interface StudyRunOptions {
  signal?: AbortSignal;
  /** Continue the journal if it exists (`true`), refuse to touch an existing one (`false`). @default false */
  resume?: boolean;
  /**
   * `engine` launches every configuration through the controller and benchmarks it; `estimate` (simulated
   * studies only) scores the simulator's analytic estimate instead: no process, deterministic. @default 'engine'
   */
  mode?: 'engine' | 'estimate';
  /** Measures configurations instead of the mode's evaluator (embedding tools, tests). */
  evaluator?: TrialEvaluator;
  /** Controller to use instead of the one the options describe (tests, embedding tools). */
  controller?: Controller;
  /** @default systemClock */
  clock?: Clock;
  /**
   * Runtime adapters beyond the bundled ones, which the options may name as their `runtime` (another engine,
   * a wrapped one). @default []
   */
  runtimes?: readonly RuntimeAdapter[];
  /**
   * Where the study logs what an operator needs (start and end at info, trial failures at warn, launches,
   * readiness and pruning at debug). Any pino-compatible logger. @default the library logger (stderr, warn)
   */
  logger?: Logger;
  /**
   * GPU pools shared with the other studies of this process that are given the same object (the dashboard's
   * queue): a study on the same GPUs as another draws from its pool instead of opening one. @default none (the
   * study opens its own pool; other processes' studies are kept off its GPUs by the host leases)
   */
  gpuPools?: SharedGpuPools;
}

/**
 * A running study: await `result`, or iterate its events. Leaving a `for await` loop over it before the study
 * finished stops the study as an abort would (running trials are torn down; the journal stays resumable).
 */
export interface Study extends AsyncIterable<StudyEvent> {
  readonly studyId: string;
  readonly journalPath: string;
  readonly result: Promise<TuneResult>;
  /** Every event published so far. */
  readonly events: readonly StudyEvent[];
}

// The checks of checkStudy that need no probe, at once; the GPU probe (when the options declare no GPUs) runs
// when the study starts, before anything launches.
function checkedSync(
  input: TuneOptionsInput | CheckedStudy,
  run: StudyRunOptions,
): { resolved: ResolvedOptions; gpus: StudyGpus | undefined } {
  if (isCheckedStudy(input)) return { resolved: input, gpus: input.gpus };
  const review = reviewStudy(input, run);
  if (review.problems.length > 0 || !review.resolved) throw new OptionsError(review.problems);
  return { resolved: review.resolved, gpus: review.gpus };
}

/**
 * Starts a study. The checks of checkStudy run first: those that need no GPU probe synchronously (OptionsError
 * lists every problem), the GPU check of a probed host before anything launches (`result` rejects with
 * OptionsError); pass checkStudy's result to have them all at once. A redacted secret (options read back from a
 * journal) that the environment cannot supply throws MissingSecretError.
 */
export function study(input: TuneOptionsInput | CheckedStudy, run: StudyRunOptions = {}): Study {
  const { resolved: parsed, gpus: declared } = checkedSync(input, run);
  // Options read back from a journal hold placeholders for secrets: restore them before anything runs.
  const resolved = { ...parsed, options: restoreSecrets(parsed.options) };
  const identity = studyIdentity(resolved.options);
  registerSecret(resolved.options.hfToken);
  for (const [key, value] of Object.entries(resolved.options.env))
    if (SECRET_KEY_PATTERN.test(key)) registerSecret(value);
  const channel = new EventChannel<StudyEvent>();
  const logger = run.logger ?? defaultLogger().child({ study: identity.studyId });
  channel.subscribe((event) => logStudyEvent(logger, event));
  // Stopped by the caller's signal, or by a reader that leaves the event loop early.
  const abandoned = new AbortController();
  const signal = run.signal ? AbortSignal.any([run.signal, abandoned.signal]) : abandoned.signal;
  const result = runStudy(resolved, declared, identity, { ...run, signal, logger }, channel).finally(() =>
    channel.close(),
  );
  // The caller may only iterate events; an unobserved rejection must not crash the process.
  result.catch(() => undefined);
  return {
    studyId: identity.studyId,
    journalPath: identity.journalPath,
    result,
    get events() {
      return channel.events;
    },
    [Symbol.asyncIterator]: () => stopOnReturn(channel[Symbol.asyncIterator](), channel, abandoned),
  };
}

// An iterator over the study's events whose early `return()` (a `break` out of `for await`) stops the study.
function stopOnReturn(
  inner: AsyncIterator<StudyEvent>,
  channel: EventChannel<StudyEvent>,
  abandoned: AbortController,
): AsyncIterator<StudyEvent> {
  return {
    next: () => inner.next(),
    async return(): Promise<IteratorResult<StudyEvent>> {
      if (!channel.isClosed) abandoned.abort();
      await inner.return?.();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Runs a study to its end and returns the best configuration, the Pareto front and every trial. Every check of
 * checkStudy runs first, and every problem of the options is reported at once, before anything launches.
 */
export async function tune(
  input: TuneOptionsInput | CheckedStudy,
  run: StudyRunOptions = {},
): Promise<TuneResult> {
  return study(await checkStudy(input, run), run).result;
}

async function runStudy(
  resolved: ResolvedOptions,
  declared: StudyGpus | undefined,
  identity: ReturnType<typeof studyIdentity>,
  run: StudyRunOptions,
  channel: EventChannel<StudyEvent>,
): Promise<TuneResult> {
  const { options } = resolved;
  const clock = run.clock ?? systemClock;
  const signal = run.signal ?? new AbortController().signal;
  const startedMs = clock.now();
  signal.throwIfAborted();
  // A probed host without the GPUs the runtime needs stops the study here, before any controller or journal.
  const { gpus, source } = declared ?? (await studyGpus(resolved, { ...run, signal }));
  // Everything below asks the controller in use (the options' or the caller's) what it offers.
  const controller =
    run.controller ??
    createController(options.controller, { clock, ...(run.logger ? { logger: run.logger } : {}) });
  // What a dead run of this study left (its GPUs included) goes before any GPU is leased.
  if (run.mode !== 'estimate' && !run.evaluator) await controller.reap(identity.studyId, { signal });
  const leased = controller.traits.gpuPlacement === 'pool';
  // A cluster whose nodes the controller can read: its GPUs, per node, are the study's pool.
  const reader = run.mode === 'estimate' ? undefined : capacityReader(controller);
  // Nodes it may not read (no ClusterRole to list them) leave the placement to the cluster's scheduler, as a
  // controller without clusterCapacity() does: one trial at a time unless told.
  const cluster: ClusterPool | undefined = reader
    ? await openClusterPool(reader, { signal, maxOvertakes: options.maxOvertakes }).catch(
        (error: unknown) => {
          signal.throwIfAborted();
          run.logger?.warn(
            { err: errorMessage(error) },
            "cannot read the cluster's nodes: trials are placed by its scheduler without a per-node pool",
          );
          return undefined;
        },
      )
    : undefined;
  const engineEvaluator = createEngineEvaluator(resolved, {
    studyId: identity.studyId,
    controller,
    gpusAvailable: leased ? gpus.length : undefined,
    libraryVersion: libraryVersion(),
    clock,
    ...(run.logger ? { logger: run.logger } : {}),
    // GPUs nvidia-smi found on this host can be sampled by it; a static or virtual inventory cannot.
    ...(source === 'probe' && gpus.some((g) => /^(GPU|MIG)-/.test(g.uuid)) ? { nvidiaSmi: {} } : {}),
    // Beside the journal: `<journal>.records/trial-<n>-level-<level>.jsonl`.
    ...(options.telemetry.writeRecords ? { recordsDir: `${identity.journalPath}.records` } : {}),
  });
  const evaluator =
    run.evaluator ??
    (run.mode === 'estimate' ? createEstimateEvaluator(resolved, engineEvaluator.plan) : engineEvaluator);
  const scorer = createScorer(resolved.objective, resolved.slo);
  // vLLM and SGLang studies with a readable config.json and known GPUs: screening, predictions, the prior;
  // engines that launch: what earlier studies learnt.
  const { model, memory, prior, startChance } = await openStudyKnowledge(resolved, {
    gpus,
    estimate: run.mode === 'estimate',
    scorer,
    worldSize: (params) => engineEvaluator.plan(params).worldSize,
    logger: run.logger,
  });
  const strategy = loopStrategy(
    createStudyStrategy(resolved.space, options, resolved.slo, memory?.initial ?? [], prior, startChance),
  );
  // One trial per GPU set by default. A cluster schedules GPUs itself and CPU engines share the host: one at
  // a time unless told. Implicit virtual GPUs would only load this host's CPUs, so parallel simulated trials
  // need a declared inventory (or maxParallelTrials).
  // On a cluster the study reads, as many trials as its GPUs could hold at once (every trial needs at least one).
  const maxParallel =
    options.maxParallelTrials ??
    (cluster
      ? Math.max(1, cluster.size)
      : !leased || source === 'virtual' || gpus.length === 0
        ? 1
        : gpus.length);
  // The engine defaults with the fixed parameters (the baseline's configuration) must fit on some node: a study
  // whose every trial would wait for ever stops here, before anything launches, naming the largest node.
  if (cluster && !run.evaluator) {
    const fixed = engineEvaluator.plan({});
    const refusal = fixed.problems.length === 0 ? cluster.unfit(fixed.worldSize) : undefined;
    if (refusal && fixed.worldSize > 0) throw refusal;
  }

  const header = () => ({
    studyId: identity.studyId,
    fingerprint: identity.fingerprint,
    seed: options.seed,
    createdAt: new Date(clock.wallMs()).toISOString(),
    library: { name: 'inference-autotuner', version: libraryVersion() },
    options,
  });
  const { writer, history } = await openStudyJournal(identity, header, run.resume ?? false);
  const earlierTrials = history.length;
  // A resumed study relearns what its journaled launches taught the analytic model.
  for (const trial of history) model?.observe(trial);
  let hostPool: HostPool | undefined;
  try {
    const emit = (event: StudyEvent) => channel.publish(event);
    // This host's GPUs (a cluster's pool is its own): leased host-wide, given back in `finally`.
    hostPool =
      cluster || !leased || gpus.length === 0
        ? undefined
        : run.gpuPools
          ? run.gpuPools.open(gpus, source, options, { studyId: identity.studyId, emit })
          : openHostPool(gpus, source, options, { studyId: identity.studyId, emit });
    const pool = cluster?.pool ?? hostPool?.pool;
    const maxTrials = options.budget.maxTrials;
    emit({
      type: 'study-started',
      studyId: identity.studyId,
      journalPath: identity.journalPath,
      // Search trials of the journal that count against the budget (a refusal before launch does not).
      resumedTrials: history.filter((t) => t.phase === 'search' && !isNotLaunched(t)).length,
      maxTrials,
    });
    let best: TrialRecord | undefined = [...history]
      .filter((t) => t.phase === 'search')
      .sort(compareTrials)[0];
    const record = async (trial: TrialRecord) => {
      await writer.append({ type: 'trial', ...trial });
      await memory?.record(trial, identity.studyId);
      model?.observe(trial);
      emit({
        type: trial.state === 'complete' || trial.state === 'pruned' ? 'trial-finished' : 'trial-failed',
        trial: trial.number,
        record: trial,
      });
      if (trial.phase === 'search' && trial.feasible && (!best || compareTrials(trial, best) < 0)) {
        best = trial;
        emit({
          type: 'best-improved',
          trial: trial.number,
          objective: trial.objective ?? [],
          params: trial.params,
        });
      }
    };
    const deps = {
      evaluator,
      scorer,
      pool,
      clock,
      trialTimeoutMs: options.timeouts.trialMs,
      emit,
      pruning: options.pruning,
      ...(cluster ? { unfit: cluster.unfit } : {}),
      ...(model ? { model } : {}),
      ...(memory ? { knownFailure: memory.knownFailure } : {}),
    };
    let nextNumber = history.reduce((n: number, t: TrialRecord) => Math.max(n, t.number + 1), 0);
    const common = { deps, history, maxParallel, record };

    if (options.baseline && !history.some((t) => t.phase === 'baseline')) {
      const queue = [{ number: nextNumber, params: {}, phase: 'baseline' as const }];
      ({ nextNumber } = await runTrials({ ...common, queue, nextNumber, maxTrials: 1 }, signal));
    }
    const deadlineMs =
      options.budget.maxWallTimeMs === undefined ? undefined : startedMs + options.budget.maxWallTimeMs;
    const search = await runTrials({ ...common, strategy, nextNumber, maxTrials, deadlineMs }, signal);
    nextNumber = search.nextNumber;
    emit({ type: 'study-stopping', reason: search.reason });

    const singleObjective = scorer.directions.length === 1;
    const { top, repeats } = options.confirm;
    if (singleObjective && top > 0 && repeats > 0) {
      const queue = planConfirmation(history, top, repeats, nextNumber);
      if (queue.length > 0)
        await runTrials({ ...common, queue, nextNumber, maxTrials: queue.length }, signal);
    }
    const confirmation =
      singleObjective && top > 0 && repeats > 0 ? summarizeConfirmation(history, top) : undefined;
    const result = assembleResult({
      resolved,
      identity,
      history,
      stopReason: search.reason,
      scorer,
      confirmation,
      pareto: paretoFront(history.filter((t) => t.phase === 'search')),
      elapsedMs: clock.now() - startedMs,
      earlierTrials,
    });
    const { trials: _trials, ...summary } = result;
    await writer.append({ type: 'result', ...summary, pareto: result.pareto.map((t) => t.number) });
    emit({
      type: 'study-finished',
      reason: search.reason,
      trials: history.length,
      bestTrial: result.best?.trial,
    });
    return result;
  } finally {
    hostPool?.close();
    await writer.close();
  }
}
