// Every check that can run before a study's first launch, in one place: the options (schema, engine flags of
// every fixed and tuned value, flags set twice, ...), the files they name, the engine executable, and the GPUs
// the runtime needs. tune(), study() and `autotune run --dry-run` all go through it, so they agree.
import { CONTROLLER_KINDS, type ControllerKind } from '../controllers/controller-spec.js';
import { type ControllerTraits, controllerTraits } from '../controllers/controller-traits.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { gpuProblems } from './gpu-checks.js';
import { executableProblems, fileProblems, type HostCheckContext } from './host-checks.js';
import { type OptionProblem, OptionsError } from './options-error.js';
import { declaredGpus, resolveGpus, type StudyGpus } from './resolve-gpus.js';
import { type OptionReview, type ResolvedOptions, reviewOptions, uniqueProblems } from './resolve-options.js';
import { estimateProblems } from './runtime-option-checks.js';

/** How the study will run, as far as the checks need to know (the run settings of study()). */
export interface CheckStudySettings {
  /** Runtime adapters beyond the bundled ones, which the options may name as their `runtime`. @default [] */
  runtimes?: readonly RuntimeAdapter[];
  /**
   * The caller's own controller: its traits replace those of the options' controller, and where and how it
   * launches (executables, model files) is left to it. @default the controller the options describe
   */
  controller?: { readonly traits: ControllerTraits };
  /** `estimate` launches nothing: the runtime must have an analytic model. @default 'engine' */
  mode?: 'engine' | 'estimate';
  /** A caller's evaluator measures instead of launches: no launch-related check applies. @default none */
  evaluator?: unknown;
  /** Stops a GPU probe. */
  signal?: AbortSignal;
}

/** Study options that passed every check, with the GPU inventory the study leases from. */
export interface CheckedStudy extends ResolvedOptions {
  readonly gpus: StudyGpus;
}

const checked = new WeakSet<object>();

/** True for the result of checkStudy (study() then skips the checks it already ran). */
export function isCheckedStudy(value: unknown): value is CheckedStudy {
  return typeof value === 'object' && value !== null && checked.has(value);
}

// The `kind` of the input's controller, also when the schema refused the rest of its options.
function givenControllerKind(input: unknown): ControllerKind | undefined {
  const controller =
    typeof input === 'object' && input !== null ? Reflect.get(input, 'controller') : undefined;
  const kind =
    typeof controller === 'object' && controller !== null ? Reflect.get(controller, 'kind') : undefined;
  return CONTROLLER_KINDS.find((k) => k === kind);
}

function hostContext(review: OptionReview, settings: CheckStudySettings, input?: unknown): HostCheckContext {
  // A controller refused for another of its options is still judged by its kind, not taken for a local one.
  const controller = review.parts.controller ?? { kind: givenControllerKind(input) ?? 'local' };
  return {
    options: review.parts,
    runtime: review.runtime,
    traits: settings.controller?.traits ?? controllerTraits(controller),
    ownController: settings.controller !== undefined,
    launches: settings.evaluator === undefined && settings.mode !== 'estimate',
  };
}

function gpuCheck(
  review: OptionReview,
  settings: CheckStudySettings,
  runtime: RuntimeAdapter,
  inventory: StudyGpus,
  input?: unknown,
): OptionProblem[] {
  const context = hostContext(review, settings, input);
  return gpuProblems(
    {
      options: review.parts,
      runtime,
      space: review.userSpace,
      leases: context.traits.gpuPlacement === 'pool',
      ownPlan: settings.evaluator === undefined,
    },
    inventory,
  );
}

/** The problems that need no probe (options, files, executables, a declared GPU inventory), and that inventory. */
export function reviewStudy(
  input: unknown,
  settings: CheckStudySettings = {},
): OptionReview & { gpus?: StudyGpus } {
  const review = reviewOptions(input, settings.runtimes ? { runtimes: settings.runtimes } : {});
  const context = hostContext(review, settings, input);
  // An option the option checks refused already is not judged against the host too.
  const refused = new Set(review.problems.map((p) => p.path));
  const host = [...fileProblems(context), ...executableProblems(context)].filter((p) => !refused.has(p.path));
  const problems = [...review.problems, ...host];
  const { runtime } = review;
  if (runtime && settings.mode === 'estimate') problems.push(...estimateProblems(review.parts, runtime));
  let gpus: StudyGpus | undefined;
  if (runtime && !problems.some((p) => p.path.startsWith('gpus'))) {
    gpus = declaredGpus(review.parts, runtime);
    if (gpus) problems.push(...gpuCheck(review, settings, runtime, gpus, input));
  }
  return { ...review, problems: uniqueProblems(problems), ...(gpus ? { gpus } : {}) };
}

/**
 * The GPUs of a study whose options passed reviewStudy: the declared inventory, or this host's probed one,
 * checked against what the runtime needs. Throws OptionsError (before anything launches) when they fall short.
 */
export async function studyGpus(
  resolved: ResolvedOptions,
  settings: CheckStudySettings = {},
): Promise<StudyGpus> {
  const inventory = await resolveGpus(resolved, settings.signal ? { signal: settings.signal } : {});
  const review: OptionReview = {
    problems: [],
    parts: resolved.options,
    runtime: resolved.runtime,
    resolved,
    ...(resolved.options.space ? { userSpace: resolved.options.space } : {}),
  };
  const problems = gpuCheck(review, settings, resolved.runtime, inventory);
  if (problems.length > 0) throw new OptionsError(problems);
  return inventory;
}

/**
 * Runs every check that can run before a study's first launch and reports every problem of the input at once
 * (one OptionsError): the options (schema; engine flags, types and ranges of every fixed and tuned value;
 * presets; a flag both fixed and tuned; raw arguments setting what the study sets itself), the files they name
 * (datasets, a local model, a kubeconfig), the engine executable of local launches, and the GPUs the runtime
 * needs (probing this host when the options declare none). `tune()` and `study()` run the same checks; pass the
 * result to `describePlan` for a dry run, or to `study()` / `tune()` to start it without checking twice.
 */
export async function checkStudy(input: unknown, settings: CheckStudySettings = {}): Promise<CheckedStudy> {
  if (isCheckedStudy(input)) return input;
  const review = reviewStudy(input, settings);
  const problems = [...review.problems];
  let gpus = review.gpus;
  const { runtime } = review;
  if (runtime && !gpus && !problems.some((p) => p.path.startsWith('gpus'))) {
    gpus = await resolveGpus(
      { options: review.parts, runtime },
      settings.signal ? { signal: settings.signal } : {},
    );
    problems.push(...gpuCheck(review, settings, runtime, gpus, input));
  }
  if (problems.length > 0 || !review.resolved || !gpus) throw new OptionsError(uniqueProblems(problems));
  const study: CheckedStudy = { ...review.resolved, gpus };
  checked.add(study);
  return study;
}
