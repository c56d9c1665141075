// What a study knows before it starts: launch lines that failed to start in earlier studies of the same engine,
// model and GPU (the outcome store, and an explicit `warmStart` journal), and the earlier study's best
// configurations to try first. Records this study's outcomes for the next one.
import { errorMessage, InvalidOptionError } from '../errors.js';
import type { GpuInfo } from '../gpu/gpu-info.js';
import { isInSpace, paramsKey } from '../search/space-checks.js';
import type { Params } from '../search/trial.js';
import { gpuFromProbe } from '../sim/gpu-from-probe.js';
import type { Logger } from '../util/logger.js';
import { readJournal } from './journal/read-journal.js';
import {
  DETERMINISTIC_START_FAILURES,
  defaultOutcomeStoreDir,
  type OutcomeStore,
  openOutcomeStore,
} from './outcome-store.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { Scorer } from './scorer.js';
import { engineArgs } from './screening.js';
import type { TrialRecord } from './trial-record.js';

/** Best configurations of the warm-start journal tried first. */
const WARM_START_TOP = 3;

/** The study's memory of earlier studies. */
export interface StudyMemory {
  /** Why this configuration is not launched again (it failed to start before), or undefined. */
  knownFailure(params: Params): string | undefined;
  /** Records a finished trial's outcome for later studies. */
  record(trial: TrialRecord, studyId: string): Promise<void>;
  /** Configurations to try first (the warm-start journal's best, re-scored for this study). */
  readonly initial: Params[];
}

// A launch line's engine arguments, or undefined when the configuration has none (invalid parameters).
function argsOf(resolved: ResolvedOptions, params: Params): string[] | undefined {
  try {
    return engineArgs(resolved, params);
  } catch {
    return undefined;
  }
}

function gpuLabel(gpus: readonly Pick<GpuInfo, 'name' | 'memoryTotalMiB'>[]): string {
  const first = gpus[0];
  if (!first) return 'cpu';
  return gpuFromProbe({ name: first.name, memoryTotalMiB: first.memoryTotalMiB }).gpu?.name ?? first.name;
}

const launchOptionsOf = (options: Record<string, unknown>) =>
  JSON.stringify(['runtime', 'model', 'fixedParams', 'presets', 'extraArgs'].map((k) => options[k] ?? null));

const isStartFailure = (t: TrialRecord) =>
  t.state === 'failed' &&
  t.startupMs === undefined &&
  t.failure !== undefined &&
  DETERMINISTIC_START_FAILURES.has(t.failure.reason);

// The warm-start journal: its start failures (same launch options only) and its best feasible configurations.
async function warmStartOf(
  resolved: ResolvedOptions,
  scorer: Scorer,
  file: string,
): Promise<{ failures: Map<string, string>; initial: Params[] }> {
  let journal: Awaited<ReturnType<typeof readJournal>>;
  try {
    journal = await readJournal(file);
  } catch (error) {
    throw new InvalidOptionError('warmStart', file, `a readable study journal (${errorMessage(error)})`);
  }
  const earlier = journal.header.options as unknown as Record<string, unknown>;
  const { options } = resolved;
  if (earlier['runtime'] !== options.runtime || earlier['model'] !== options.model)
    throw new InvalidOptionError(
      'warmStart',
      file,
      `a journal of a ${options.runtime} study of ${options.model} (it is of ${String(earlier['runtime'])} with ${String(earlier['model'])})`,
    );
  const trials = journal.entries.flatMap((e) => (e.type === 'trial' ? [e as TrialRecord] : []));
  const failures = new Map<string, string>();
  if (launchOptionsOf(earlier) === launchOptionsOf(options as unknown as Record<string, unknown>))
    for (const t of trials.filter(isStartFailure)) {
      const args = argsOf(resolved, t.params);
      if (args)
        failures.set(
          JSON.stringify(args),
          `failed to start in ${journal.header.studyId} (trial ${t.number}, ${t.failure?.reason}): ${t.failure?.message}`,
        );
    }
  const ranked = trials
    .filter((t) => t.state === 'complete' && t.metrics && t.phase !== 'confirm')
    .filter((t) => Object.keys(t.params).length > 0 && isInSpace(resolved.space, t.params))
    .map((t) => ({ t, score: scorer.score(t.metrics as NonNullable<TrialRecord['metrics']>, t.worldSize) }))
    .filter((s) => s.score.feasible)
    .sort((a, b) => (a.score.values[0] ?? Infinity) - (b.score.values[0] ?? Infinity));
  const seen = new Set<string>();
  const initial: Params[] = [];
  for (const { t } of ranked) {
    const key = paramsKey(resolved.space, t.params);
    if (seen.has(key)) continue;
    seen.add(key);
    initial.push(t.params);
    if (initial.length >= WARM_START_TOP) break;
  }
  return { failures, initial };
}

/**
 * Opens the study's memory: the outcome store (engines that launch, unless turned off) and the warm-start
 * journal. Throws InvalidOptionError for a warm-start journal that cannot be read or is of another study kind.
 */
export async function openStudyMemory(
  resolved: ResolvedOptions,
  context: {
    gpus: readonly Pick<GpuInfo, 'name' | 'memoryTotalMiB'>[];
    /** The analytic model's name for the model, when the study has one. */
    modelName?: string | undefined;
    scorer: Scorer;
    logger?: Logger | undefined;
  },
): Promise<StudyMemory> {
  const { options, runtime } = resolved;
  const warm = options.warmStart ? await warmStartOf(resolved, context.scorer, options.warmStart) : undefined;
  let store: OutcomeStore | undefined;
  if (options.outcomeStore.enabled && runtime.traits.devices !== 'simulated')
    store = await openOutcomeStore(
      options.outcomeStore.dir ?? defaultOutcomeStoreDir(),
      {
        engine: options.runtime,
        engineVersion: runtime.registry.engineVersion,
        model: context.modelName ?? options.model,
        gpu: gpuLabel(context.gpus),
      },
      context.logger,
    );
  if (warm && (warm.failures.size > 0 || warm.initial.length > 0))
    context.logger?.info(
      { warmStart: options.warmStart, failures: warm.failures.size, initial: warm.initial.length },
      `warm start from ${options.warmStart}: ${warm.initial.length} configuration(s) tried first, ${warm.failures.size} known start failure(s) skipped`,
    );
  return {
    initial: warm?.initial ?? [],
    knownFailure(params) {
      const args = argsOf(resolved, params);
      if (!args) return undefined;
      const fromJournal = warm?.failures.get(JSON.stringify(args));
      if (fromJournal) return fromJournal;
      const stored = store?.startFailure(args);
      return stored
        ? `failed to start in ${stored.study} at ${stored.at} (${stored.reason}): ${stored.message} (outcome store ${store?.file})`
        : undefined;
    },
    async record(trial, studyId) {
      if (!store || trial.phase === 'confirm') return;
      const args = argsOf(resolved, trial.params);
      if (!args) return;
      const at = trial.finishedAt;
      if (isStartFailure(trial) && trial.failure)
        await store.add({
          kind: 'start-failed',
          args,
          reason: trial.failure.reason,
          message: trial.failure.message,
          study: studyId,
          at,
        });
      else if (trial.state === 'complete' && trial.metrics)
        await store.add({ kind: 'measured', args, metrics: trial.metrics, study: studyId, at });
    },
  };
}
