// Full validation of study options: structure (schema) plus the rules owned by the slo, search, runtime and
// simulator modules and the study's own (engine flags of every fixed and tuned value, flags set twice, what the
// study sets itself), every problem reported at once; then the derived settings a study runs with. The parts of
// an input that pass the schema are judged even when other parts do not.
import { InvalidOptionError } from '../errors.js';
import { normalizeStaticGpus } from '../gpu/static-gpu-probe.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import type { SearchSpace } from '../search/param-spec.js';
import { spaceViolations } from '../search/space-checks.js';
import type { ObjectiveSpec } from '../slo/objective.js';
import type { SloSpec } from '../slo/types.js';
import { objectiveSpecProblems, validateObjectiveSpec } from '../slo/validate-objective.js';
import { sloSpecProblems, validateSloSpec } from '../slo/validate-slo.js';
import { envProblems, extraArgProblems, ownedParamProblems } from './launch-arg-checks.js';
import { type OptionProblem, OptionsError } from './options-error.js';
import type { ParsedTuneOptions } from './options-schema.js';
import {
  fixedParamProblems,
  initialConfigProblems,
  overlapProblems,
  spaceParamProblems,
  spaceSample,
} from './param-checks.js';
import { parseOptionParts } from './parse-options.js';
import { modelProblems, runtimeOf, simProblems } from './runtime-option-checks.js';
import { buildStudySpace, defaultStudySpace } from './study-space.js';

/** Study options after every check, with the objects the study runs with. */
export interface ResolvedOptions {
  options: ParsedTuneOptions;
  runtime: RuntimeAdapter;
  slo: SloSpec | undefined;
  objective: ObjectiveSpec;
  space: SearchSpace;
}

/** Settings of resolveOptions beyond the options themselves. */
export interface ResolveSettings {
  /** Runtime adapters beyond the bundled ones, which the options may name as their `runtime`. @default [] */
  runtimes?: readonly RuntimeAdapter[];
}

/** The outcome of the option checks: every problem, and what could be judged. */
export interface OptionReview {
  problems: OptionProblem[];
  /** The options that passed the schema (all of them when `problems` is empty). */
  parts: Partial<ParsedTuneOptions>;
  /** The runtime the options name, when that much is valid. */
  runtime?: RuntimeAdapter;
  /** The space as the user wrote it, when given. */
  userSpace?: Record<string, unknown>;
  /** Everything resolved, when there is no problem. */
  resolved?: ResolvedOptions;
}

function fromError(error: InvalidOptionError): OptionProblem {
  return { path: error.option, value: error.value, expected: error.expected };
}

function catchProblems(run: () => void): OptionProblem[] {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof InvalidOptionError) return [fromError(error)];
    throw error;
  }
}

/** The same problem found twice (by the schema and a module's own check) is listed once. */
export function uniqueProblems(problems: readonly OptionProblem[]): OptionProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\n${p.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// The engine parameters of the study (fixed, presets, space, initial configurations, raw arguments) judged
// against the runtime's flags; builds the space when its parameters are sound.
function paramReview(
  parts: Partial<ParsedTuneOptions>,
  runtime: RuntimeAdapter,
  userSpace: Record<string, unknown> | undefined,
): { problems: OptionProblem[]; space?: SearchSpace } {
  const fixed = parts.fixedParams ?? {};
  const presets = parts.presets ?? [];
  const problems = [...fixedParamProblems(fixed, presets, runtime)];
  const initial =
    typeof parts.strategy === 'object' && parts.strategy.initial ? parts.strategy.initial : undefined;
  problems.push(
    ...ownedParamProblems(
      [
        ...Object.entries(fixed).map(([key, value]) => ({ path: `fixedParams.${key}`, key, value })),
        ...Object.entries(userSpace ?? {}).map(([key, spec]) => ({
          path: `space.${key}`,
          key,
          value: spaceSample(spec),
        })),
      ],
      runtime,
    ),
  );
  if (userSpace) {
    problems.push(...spaceParamProblems(userSpace, runtime));
    problems.push(...overlapProblems(fixed, presets, userSpace, runtime));
  }
  const raw = userSpace ?? defaultStudySpace(runtime, fixed, presets);
  problems.push(...extraArgProblems(parts.extraArgs ?? [], fixed, presets, raw, runtime));
  if (initial) problems.push(...initialConfigProblems(initial, runtime));
  const built = buildStudySpace(raw, parts.constraints ?? [], runtime, userSpace !== undefined);
  problems.push(...built.problems);
  if (built.space && initial)
    initial.forEach((params, i) => {
      const outside = spaceViolations(built.space as SearchSpace, params);
      if (outside.length > 0)
        problems.push({
          path: `strategy.initial[${i}]`,
          value: params,
          expected: `a configuration of the space (${outside.join('; ')})`,
        });
    });
  return built.space ? { problems, space: built.space } : { problems };
}

// Settings only the Bayesian strategy reads: silently ignored by the others, so refused with them.
const BAYES_SETTINGS = [
  'initial',
  'useDefaults',
  'initialDesignSize',
  'stopPatience',
  'sloRepair',
  'analyticPrior',
] as const;

function strategyProblems(strategy: ParsedTuneOptions['strategy'] | undefined): OptionProblem[] {
  if (typeof strategy !== 'object' || strategy.name === 'auto' || strategy.name === 'bayes') return [];
  return BAYES_SETTINGS.filter((key) => strategy[key] !== undefined).map((key) => ({
    path: `strategy.${key}`,
    value: strategy[key],
    expected: `no ${key} with strategy ${strategy.name}: only the Bayesian strategy (auto, bayes) reads it`,
  }));
}

/**
 * Every problem of study options that can be found from the options alone (no file, process or GPU of this
 * host is consulted): the schema's, and each module's judgement of the parts that passed it.
 */
export function reviewOptions(input: unknown, settings: ResolveSettings = {}): OptionReview {
  const { parts, problems, options } = parseOptionParts(input);
  // Top-level options the schema refused: their own checks would only repeat it.
  const broken = new Set(problems.map((p) => p.path.split(/[.[]/)[0]));
  const valid = (key: keyof ParsedTuneOptions) => key in parts && !broken.has(key);
  if (valid('slo') && parts.slo !== undefined)
    problems.push(...sloSpecProblems(parts.slo, 'slo').map(fromError));
  if (valid('objective'))
    problems.push(...objectiveSpecProblems(parts.objective, 'objective').map(fromError));
  const staticGpus = parts.gpus;
  if (valid('gpus') && Array.isArray(staticGpus))
    problems.push(...catchProblems(() => normalizeStaticGpus(staticGpus, 'gpus')));
  if (valid('env') && parts.env) problems.push(...envProblems(parts.env));
  if (valid('strategy')) problems.push(...strategyProblems(parts.strategy));
  const userSpace = valid('space') ? parts.space : undefined;
  const review: OptionReview = { problems, parts, ...(userSpace ? { userSpace } : {}) };
  if (broken.has('runtime') || broken.has('engine')) return { ...review, problems: uniqueProblems(problems) };
  let runtime: RuntimeAdapter | undefined;
  problems.push(
    ...catchProblems(() => {
      runtime = runtimeOf(parts, settings.runtimes ?? []);
    }),
  );
  if (!runtime) return { ...review, problems: uniqueProblems(problems) };
  problems.push(...modelProblems(parts, runtime), ...simProblems(parts, runtime));
  const params = paramReview(parts, runtime, userSpace);
  problems.push(...params.problems);
  const unique = uniqueProblems(problems);
  if (unique.length > 0 || !options || !params.space) return { ...review, problems: unique, runtime };
  const resolved: ResolvedOptions = {
    options,
    runtime,
    slo: options.slo === undefined ? undefined : validateSloSpec(options.slo, 'slo'),
    objective: validateObjectiveSpec(options.objective, 'objective'),
    space: params.space,
  };
  return { ...review, problems: unique, runtime, resolved };
}

/** Validates study options completely (from the options alone); throws OptionsError listing every problem. */
export function resolveOptions(input: unknown, settings: ResolveSettings = {}): ResolvedOptions {
  const review = reviewOptions(input, settings);
  if (!review.resolved) throw new OptionsError(review.problems);
  return review.resolved;
}
