// Measures a configuration for real: launch the engine through a controller, wait until ready, run the
// benchmark at each load level (or a capacity search), tear the server down, and classify any failure.

import type { Controller, ServerHandle } from '../controllers/types.js';
import { ClusterCapacityError, errorMessage, ServerExitedError } from '../errors.js';
import { needsMoreGpus, validateParallelism } from '../parallelism/validate-parallelism.js';
import { worldSize } from '../parallelism/world-size.js';
import { canonicalParams, validateParams } from '../runtimes/validate-params.js';
import type { Params } from '../search/trial.js';
import { findModel } from '../sim/model-catalogue.js';
import { type Clock, systemClock } from '../util/clock.js';
import { defaultLogger, type LogSink } from '../util/logger.js';
import { createRng } from '../util/rng.js';
import { classifyTrialFailure } from './classify-trial-failure.js';
import type { Evaluation, TrialContext, TrialEvaluator, TrialPlan } from './evaluator.js';
import { buildManifest } from './manifest.js';
import { measureLevels } from './measure-levels.js';
import { DEFAULT_SIM_TIME_SCALE } from './options-schema.js';
import type { ResolvedOptions } from './resolve-options.js';
import { studyLaunchSpec, trialParams } from './study-launch-spec.js';
import { readKvCapacity, recordEngineVersion, telemetrySettings, trialDiagnosis } from './trial-insight.js';

/** Settings of the engine evaluator beyond the resolved options. */
export interface EngineEvaluatorSettings {
  studyId: string;
  controller: Controller;
  /** GPUs the study may use in total (for the world-size check). */
  gpusAvailable: number | undefined;
  libraryVersion: string;
  /** Times the launch and benchmark phases. @default systemClock */
  clock?: Clock;
  /**
   * The study's GPUs were probed on this host with nvidia-smi: sample the trial's GPUs with it during each
   * benchmark (`command` for another binary). @default undefined (no GPU sampling)
   */
  nvidiaSmi?: { command?: string };
  /** Folder the raw request records of each level are written to (`telemetry.writeRecords`). @default none */
  recordsDir?: string;
  /** Receives the benchmark's warnings (e.g. a client that could not keep up). @default the library logger */
  logger?: LogSink;
}

/** Creates the evaluator that launches real servers. */
export function createEngineEvaluator(
  resolved: ResolvedOptions,
  settings: EngineEvaluatorSettings,
): TrialEvaluator {
  const { options, runtime } = resolved;
  const clock = settings.clock ?? systemClock;
  // The engine whose parallel rules apply (a simulated engine's imitated one).
  const engine = runtime.flavor;
  const model = findModel(options.model);
  const simulated = runtime.traits.devices === 'simulated';
  // A simulated engine may run faster than real time; its measurements are scaled back.
  const timeScale = simulated ? (options.sim?.timeScale ?? DEFAULT_SIM_TIME_SCALE) : 1;
  const logger = settings.logger ?? defaultLogger();
  // Versions already warned about: one warning per study and version, not one per trial.
  const warnedVersions = new Set<string>();

  const plan = (params: Params): TrialPlan => {
    const merged = trialParams(resolved, params);
    const problems = validateParams(merged, runtime)
      .problems.filter((p) => p.severity === 'error')
      .map((p) => p.message);
    const canonical = canonicalParams(merged, runtime).params;
    // An engine that spreads over the visible devices runs on the CPU with none (world size 0).
    const visible =
      runtime.traits.devices === 'gpu-or-cpu' && settings.gpusAvailable !== undefined
        ? { visibleGpus: settings.gpusAvailable }
        : {};
    let size = 0;
    try {
      size = worldSize(canonical, engine, visible);
    } catch (error) {
      problems.push(errorMessage(error));
    }
    const parallel = validateParallelism(canonical, engine, {
      ...visible,
      ...(model
        ? { numAttentionHeads: model.attentionHeads, numKvHeads: model.kvHeads, numLayers: model.layers }
        : {}),
      ...(settings.gpusAvailable !== undefined ? { gpusAvailable: settings.gpusAvailable } : {}),
    });
    const noCapacity = problems.length === 0 && parallel.length > 0 && parallel.every(needsMoreGpus);
    problems.push(...parallel.map((e) => e.message));
    return { worldSize: size, problems, ...(noCapacity ? { noCapacity } : {}) };
  };

  const evaluate = async (ctx: TrialContext): Promise<Evaluation> => {
    const trialSeed = createRng(options.seed)
      .fork(ctx.trial.number)
      .int(0, 2 ** 31 - 1);
    // A simulated engine's GPUs are virtual: a container must not ask Docker or Kubernetes for such devices.
    const container = settings.controller.traits.target === 'container';
    // A cluster's scheduler hands out devices from a count: the pool's entries only say which node and how many.
    const cluster = settings.controller.traits.gpuPlacement === 'cluster';
    const devices = (simulated && container) || cluster ? [] : ctx.gpus;
    const size = ctx.gpus.length > 0 ? ctx.gpus.length : cluster ? plan(ctx.trial.params).worldSize : 0;
    const placed = studyLaunchSpec(
      resolved,
      ctx.trial.params,
      devices,
      { studyId: settings.studyId, trialId: `trial-${ctx.trial.number}` },
      {
        // The controller in use decides (a caller may pass one other than the options name).
        target: container ? 'container' : 'local',
        sim: {
          gpu: options.sim?.gpu ?? 'h100',
          seed: trialSeed,
          timeScale,
          ...(size > 0 ? { numGpus: size } : {}),
          ...(options.sim?.noiseCv === undefined ? {} : { noiseCv: options.sim.noiseCv }),
          ...(options.sim?.startupCrashRate === undefined
            ? {}
            : { startupCrashRate: options.sim.startupCrashRate }),
        },
      },
    );
    const node = ctx.gpus[0]?.host;
    // Every pod requests exactly its world size, on the node the study's pool chose when it has one.
    const spec = cluster ? { ...placed, gpuCount: size, ...(node !== undefined ? { node } : {}) } : placed;
    const manifest = buildManifest(resolved, spec, settings, trialSeed);
    let handle: ServerHandle;
    try {
      handle = await settings.controller.launch(spec, { signal: ctx.signal });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      // Room the cluster lacks for now is the study's to wait for (the trial runner re-queues it).
      if (error instanceof ClusterCapacityError && !error.permanent) throw error;
      return { state: 'failed', failure: classifyTrialFailure(error), manifest };
    }
    await using server = handle;
    const via = handle.via !== undefined ? { via: handle.via } : {};
    if (handle.imageDigest) manifest.imageDigest = handle.imageDigest;
    await recordEngineVersion(resolved, manifest, handle, {
      signal: ctx.signal,
      logger,
      warned: warnedVersions,
    });
    // What the engine found room for in its KV cache: the analytic model learns its memory error from it.
    const kvCapacityTokens = await readKvCapacity(resolved, server.endpoint, ctx.signal);
    const started = {
      startupMs: server.startupMs,
      ...(kvCapacityTokens !== undefined ? { kvCapacityTokens } : {}),
    };
    ctx.emit({
      type: 'trial-ready',
      trial: ctx.trial.number,
      endpoint: server.endpoint,
      startupMs: server.startupMs,
    });
    const benchStart = clock.now();
    const exitedEarly = server.exited.then((exit) => exit);
    try {
      const measured = await measureLevels(
        resolved,
        ctx,
        server.endpoint,
        timeScale,
        trialSeed,
        logger,
        telemetrySettings(
          resolved,
          server.endpoint,
          timeScale,
          settings.clock,
          settings.nvidiaSmi && !simulated && !cluster
            ? { ...settings.nvidiaSmi, gpuIndices: ctx.gpus.map((g) => g.index) }
            : undefined,
          spec,
        ),
        settings.recordsDir,
      );
      const exited = await Promise.race([exitedEarly, Promise.resolve(undefined)]);
      if (exited && measured.metrics.errorRate > 0) {
        const logTail = await server.logs({ tail: 30 });
        const failure = classifyTrialFailure(
          exited.error ?? new ServerExitedError(exited.exitCode, logTail, exited.signal),
        );
        return {
          state: 'failed',
          failure: { ...failure, message: `server exited during the benchmark: ${failure.message}`, logTail },
          ...started,
          manifest,
          ...via,
        };
      }
      // A run in which every request failed measured nothing of the configuration (wrong model name, a server
      // that answers only errors): a failed trial, never a feasible one with zero throughput.
      if (measured.metrics.requestCount > 0 && measured.metrics.errorRate >= 1) {
        const errors = measured.errorSamples
          .slice(0, 3)
          .map((e) => `${e.error} (x${e.count})`)
          .join('; ');
        return {
          state: 'failed',
          failure: {
            reason: 'benchmark-error',
            message: `every request of the benchmark failed${errors ? `: ${errors}` : ''}`,
          },
          ...started,
          manifest,
          ...via,
        };
      }
      const telemetry = measured.telemetry;
      // One warning per trial for whatever could not be sampled; the trial stands on its own measurements.
      if (telemetry?.problems)
        logger.warn(
          { trial: ctx.trial.number, problems: telemetry.problems },
          `trial ${ctx.trial.number}: telemetry incomplete: ${telemetry.problems.join('; ')}`,
        );
      const diagnosis = trialDiagnosis(resolved, measured.metrics, size, telemetry);
      return {
        state: measured.pruned ? 'pruned' : 'complete',
        metrics: measured.metrics,
        ...(telemetry && (telemetry.engine || telemetry.gpu || telemetry.problems) ? { telemetry } : {}),
        ...(diagnosis.length > 0 ? { diagnosis } : {}),
        ...(measured.levels.length > 1 ? { levels: measured.levels } : {}),
        ...(measured.clientLimited.length > 0 ? { clientLimited: measured.clientLimited } : {}),
        ...started,
        benchmarkMs: clock.now() - benchStart,
        manifest,
        ...via,
      };
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      return {
        state: 'failed',
        failure: {
          ...classifyTrialFailure(error, 'benchmark-error'),
          logTail: await server.logs({ tail: 30 }),
        },
        ...started,
        benchmarkMs: clock.now() - benchStart,
        manifest,
        ...via,
      };
    }
  };

  return { plan, evaluate };
}
