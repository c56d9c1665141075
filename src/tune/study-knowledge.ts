// What a study knows before its first launch: the analytic model of its engine, model and GPUs (screening,
// predictions, the search's prior) and what earlier studies learnt (outcome store, warm start). Said once in the
// log; nothing here launches anything.
import type { GpuInfo } from '../gpu/gpu-info.js';
import type { PriorModel } from '../search/prior.js';
import type { Params } from '../search/trial.js';
import type { Logger } from '../util/logger.js';
import { usesAnalyticPrior } from './create-strategy.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { Scorer } from './scorer.js';
import { openStudyMemory, type StudyMemory } from './study-memory.js';
import { openStudyModel, type StudyModel, studyPrior } from './study-model.js';

/** The study's prior knowledge; every part absent when it does not apply (estimate mode, no model). */
export interface StudyKnowledge {
  model?: StudyModel | undefined;
  memory?: StudyMemory | undefined;
  prior?: PriorModel | undefined;
  /** The chance that a configuration starts (screening on): the search tries likely starters first. */
  startChance?: ((params: Params) => number) | undefined;
}

/** Opens the analytic model and the memory of earlier studies, and logs what the study will use. */
export async function openStudyKnowledge(
  resolved: ResolvedOptions,
  context: {
    gpus: readonly Pick<GpuInfo, 'name' | 'memoryTotalMiB'>[];
    estimate: boolean;
    scorer: Scorer;
    worldSize: (params: Params) => number;
    logger?: Logger | undefined;
  },
): Promise<StudyKnowledge> {
  if (context.estimate) return {};
  const { options } = resolved;
  const { logger } = context;
  const analytic = await openStudyModel(resolved, context.gpus);
  const model = analytic.model;
  if (model)
    logger?.info(
      {
        model: model.description,
        screening: options.screening,
        analyticPrior: usesAnalyticPrior(options.strategy),
      },
      `analytic model ${model.description}: ${
        options.screening.enabled
          ? `configurations predicted not to start even with ${Math.round(options.screening.margin * 100)}% more memory are not launched`
          : 'screening is off'
      }; ${usesAnalyticPrior(options.strategy) ? "its predictions are the search's prior" : 'predictions are not used by the search'}`,
    );
  else if (resolved.runtime.traits.devices === 'gpu')
    logger?.info({ reason: analytic.reason }, `the study ${analytic.reason}`);
  const memory = await openStudyMemory(resolved, {
    gpus: context.gpus,
    modelName: model?.modelName,
    scorer: context.scorer,
    logger,
  });
  return {
    model,
    memory,
    prior: model ? studyPrior(model, context.scorer, context.worldSize) : undefined,
    startChance:
      model && options.screening.enabled ? (params: Params) => model.startChance(params) : undefined,
  };
}
