// Full validation of study options: structure (schema) plus the rules owned by the slo, search, runtime and
// simulator modules, every problem reported at once; then the derived settings a study runs with.
import { InvalidOptionError } from '../errors.js';
import { normalizeStaticGpus } from '../gpu/static-gpu-probe.js';
import { withLatencyHints } from '../runtimes/latency-hints.js';
import { presetParams } from '../runtimes/presets.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { RUNTIME_NAMES } from '../runtimes/runtime-name.js';
import { getRuntime } from '../runtimes/runtimes.js';
import { validateParams } from '../runtimes/validate-params.js';
import { normalizeSpace } from '../search/normalize-space.js';
import type { ParamInput, SearchSpace } from '../search/param-spec.js';
import { findGpu, gpuCatalogue } from '../sim/gpu-catalogue.js';
import { findModel, modelCatalogue } from '../sim/model-catalogue.js';
import type { ObjectiveSpec } from '../slo/objective.js';
import type { SloSpec } from '../slo/types.js';
import { objectiveSpecProblems, validateObjectiveSpec } from '../slo/validate-objective.js';
import { sloSpecProblems, validateSloSpec } from '../slo/validate-slo.js';
import { type OptionProblem, OptionsError } from './options-error.js';
import { type ParsedTuneOptions, tuneOptionsSchema } from './options-schema.js';
import { parseOptionsSchema } from './parse-options.js';

/** Study options after every check, with the objects the study runs with. */
export interface ResolvedOptions {
  options: ParsedTuneOptions;
  runtime: RuntimeAdapter;
  slo: SloSpec | undefined;
  objective: ObjectiveSpec;
  space: SearchSpace;
}

function fromErrors(errors: readonly InvalidOptionError[]): OptionProblem[] {
  return errors.map((e) => ({ path: e.option, value: e.value, expected: e.expected }));
}

function catchProblems(run: () => void): OptionProblem[] {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof InvalidOptionError) return fromErrors([error]);
    throw error;
  }
}

// A space parameter with the engine's documented default as its `default`, when that default lies inside it.
function withRegistryDefault(name: string, input: unknown, runtime: RuntimeAdapter): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || 'default' in input) return input;
  const flag = runtime.registry.bySpelling.get(name.startsWith('-') ? name : `--${name}`);
  const fallback = flag?.default;
  if (typeof fallback !== 'number' && typeof fallback !== 'boolean' && typeof fallback !== 'string')
    return input;
  const spec = input as Record<string, unknown>;
  if (Array.isArray(spec['values']) && (spec['values'] as unknown[]).includes(fallback))
    return { ...spec, default: fallback };
  const { low, high, step } = spec;
  if (
    typeof fallback === 'number' &&
    typeof low === 'number' &&
    typeof high === 'number' &&
    fallback >= low &&
    fallback <= high
  ) {
    const onGrid =
      typeof step !== 'number' ||
      Math.abs((fallback - low) / step - Math.round((fallback - low) / step)) < 1e-9;
    if (onGrid) return { ...spec, default: fallback };
  }
  return input;
}

// A model the runtime cannot serve: runtimes that take catalogue models know only those.
function modelProblems(model: unknown, runtime: RuntimeAdapter): OptionProblem[] {
  if (runtime.traits.models !== 'catalogue' || (typeof model === 'string' && findModel(model))) return [];
  return [
    {
      path: 'model',
      value: model,
      expected: `a simulated model: ${modelCatalogue()
        .map((m) => m.name)
        .join(', ')}`,
    },
  ];
}

// Simulated devices: the `sim` block describes them, and means nothing to an engine on real devices.
function simProblems(options: ParsedTuneOptions, runtime: RuntimeAdapter): OptionProblem[] {
  if (runtime.traits.devices !== 'simulated') {
    return options.sim === undefined
      ? []
      : [
          {
            path: 'sim',
            value: options.sim,
            expected: `no sim options: runtime ${runtime.name} runs on real devices`,
          },
        ];
  }
  const problems: OptionProblem[] = [];
  const gpu = options.sim?.gpu ?? 'h100';
  if (!findGpu(gpu)) {
    problems.push({
      path: 'sim.gpu',
      value: gpu,
      expected: `a simulated GPU: ${gpuCatalogue()
        .map((g) => g.name)
        .join(', ')}`,
    });
  }
  return problems;
}

// Every space parameter must be a flag of the engine (did-you-mean and cross-engine hints come from the runtime).
function spaceNameProblems(space: SearchSpace, runtime: RuntimeAdapter): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const param of space.params) {
    const sample = param.kind === 'bool' ? true : param.kind === 'categorical' ? param.values[0] : param.low;
    const result = validateParams({ [param.name]: sample }, runtime);
    for (const problem of result.problems) {
      if (
        problem.severity !== 'error' ||
        (problem.code !== 'unknown_flag' &&
          problem.code !== 'reserved_flag' &&
          problem.code !== 'removed_flag')
      )
        continue;
      problems.push({ path: `space.${param.name}`, value: param.name, expected: problem.message });
    }
  }
  return problems;
}

// Checks that need no parsed options, for inputs whose structure failed elsewhere.
function rawProblems(
  input: unknown,
  known: readonly OptionProblem[],
  adapters: readonly RuntimeAdapter[],
): OptionProblem[] {
  if (input === null || typeof input !== 'object') return [];
  const raw = input as Record<string, unknown>;
  const seen = new Set(known.map((p) => p.path.split(/[.[]/)[0]));
  const problems: OptionProblem[] = [];
  if (!seen.has('slo') && raw['slo'] !== undefined)
    problems.push(...fromErrors(sloSpecProblems(raw['slo'], 'slo')));
  if (!seen.has('objective') && raw['objective'] !== undefined)
    problems.push(...fromErrors(objectiveSpecProblems(raw['objective'], 'objective')));
  const name = tuneOptionsSchema.shape.runtime.safeParse(raw['runtime']);
  const runtime = name.success ? adapters.find((adapter) => adapter.name === name.data) : undefined;
  if (runtime && typeof raw['model'] === 'string' && !seen.has('model'))
    problems.push(...modelProblems(raw['model'], runtime));
  return problems;
}

/** Settings of resolveOptions beyond the options themselves. */
export interface ResolveSettings {
  /** Runtime adapters beyond the bundled ones, which the options may name as their `runtime`. @default [] */
  runtimes?: readonly RuntimeAdapter[];
}

// The adapter an options' runtime names: one the caller supplied, else a bundled one (built with the options
// that concern it). Throws InvalidOptionError when the name is unknown.
function runtimeOf(options: ParsedTuneOptions, supplied: readonly RuntimeAdapter[]): RuntimeAdapter {
  const given = supplied.find((adapter) => adapter.name === options.runtime);
  if (given) return given;
  const bundled = RUNTIME_NAMES.find((name) => name === options.runtime);
  if (!bundled) {
    const names = [...RUNTIME_NAMES, ...supplied.map((adapter) => adapter.name)];
    throw new InvalidOptionError('runtime', options.runtime, `one of ${names.join(', ')}`);
  }
  return getRuntime(bundled, options.engine ? { engine: options.engine } : {});
}

/** Validates study options completely; throws OptionsError listing every problem. */
export function resolveOptions(input: unknown, settings: ResolveSettings = {}): ResolvedOptions {
  const supplied = settings.runtimes ?? [];
  let options: ParsedTuneOptions;
  try {
    options = parseOptionsSchema(input);
  } catch (error) {
    // Structure is broken somewhere: still report what the other modules can judge from the raw input.
    if (!(error instanceof OptionsError)) throw error;
    const adapters = [...supplied, ...RUNTIME_NAMES.map((name) => getRuntime(name))];
    throw new OptionsError([...error.problems, ...rawProblems(input, error.problems, adapters)]);
  }
  const problems: OptionProblem[] = [];
  problems.push(...fromErrors(options.slo === undefined ? [] : sloSpecProblems(options.slo, 'slo')));
  problems.push(...fromErrors(objectiveSpecProblems(options.objective, 'objective')));
  problems.push(...catchProblems(() => presetParams(options.presets)));
  const staticGpus = options.gpus;
  if (Array.isArray(staticGpus))
    problems.push(...catchProblems(() => normalizeStaticGpus(staticGpus, 'gpus')));
  let runtime: RuntimeAdapter | undefined;
  problems.push(
    ...catchProblems(() => {
      runtime = runtimeOf(options, supplied);
    }),
  );
  if (runtime) problems.push(...modelProblems(options.model, runtime), ...simProblems(options, runtime));
  let space: SearchSpace | undefined;
  if (runtime) {
    const adapter = runtime;
    const raw: Record<string, unknown> =
      options.space ?? (adapter.defaultSearchSpace() as Record<string, unknown>);
    const withDefaults = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, withRegistryDefault(k, v, adapter)]),
    );
    const spaceProblems = catchProblems(() => {
      space = normalizeSpace({
        parameters: withDefaults as Record<string, ParamInput>,
        constraints: options.constraints as never,
      });
    });
    // normalizeSpace sees { parameters, constraints }; report paths as the user wrote them.
    for (const problem of spaceProblems) {
      problem.path = problem.path
        .replace(/^space\.parameters\./, 'space.')
        .replace(/^space\.constraints/, 'constraints');
    }
    problems.push(...spaceProblems);
    if (space) {
      problems.push(...spaceNameProblems(space, adapter));
      space = withLatencyHints(space, adapter.flavor);
    }
    for (const [key, value] of Object.entries(options.fixedParams)) {
      for (const problem of validateParams({ [key]: value }, adapter).problems) {
        if (problem.severity === 'error')
          problems.push({ path: `fixedParams.${key}`, value, expected: problem.message });
      }
    }
  }
  if (problems.length > 0 || !runtime || !space) throw new OptionsError(problems);
  return {
    options,
    runtime,
    slo: options.slo === undefined ? undefined : validateSloSpec(options.slo, 'slo'),
    objective: validateObjectiveSpec(options.objective, 'objective'),
    space,
  };
}
