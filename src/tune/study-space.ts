// The search space a study runs with: the user's (every parameter judged, not only the first bad one) or the
// runtime's default space without the flags the user fixed, with engine defaults and latency hints.
import { InvalidOptionError } from '../errors.js';
import { withLatencyHints } from '../runtimes/latency-hints.js';
import { resolveParams } from '../runtimes/resolve-params.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { normalizeSpace } from '../search/normalize-space.js';
import type { ParamInput, SearchSpace } from '../search/param-spec.js';
import type { OptionProblem } from './options-error.js';
import { fixedFlagOwners, spaceSample } from './param-checks.js';

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

// normalizeSpace sees { parameters, constraints }; report paths as the user wrote them.
function userPath(path: string): string {
  return path.replace(/^space\.parameters\./, 'space.').replace(/^space\.constraints/, 'constraints');
}

function problemOf(error: unknown): OptionProblem {
  if (!(error instanceof InvalidOptionError)) throw error;
  return { path: userPath(error.option), value: error.value, expected: error.expected };
}

function withoutCondition(spec: unknown): unknown {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || !('when' in spec)) return spec;
  const { when: _when, ...rest } = spec as Record<string, unknown>;
  return rest;
}

/**
 * The runtime's default space without the parameters whose flags the fixed parameters or presets set (the user
 * fixed them: the search must not override them).
 */
export function defaultStudySpace(
  runtime: RuntimeAdapter,
  fixed: Record<string, unknown>,
  presets: readonly string[],
): Record<string, unknown> {
  const owners = fixedFlagOwners(fixed, presets, runtime);
  const space: Record<string, unknown> = runtime.defaultSearchSpace();
  const kept = Object.fromEntries(
    Object.entries(space).filter(
      ([key, spec]) =>
        !resolveParams({ [key]: spaceSample(spec) }, runtime).params.some((p) => owners.has(p.flag.name)),
    ),
  );
  // A condition on a parameter the user fixed is decided by the fixed value: the parameter stays (without the
  // condition) when that value activates it, and goes when it does not.
  const entries = Object.entries(kept).flatMap(([key, spec]): Array<[string, unknown]> => {
    const when = conditionOf(spec);
    if (!when) return [[key, spec]];
    const decided = Object.entries(when).filter(([name]) => !(name in kept));
    if (decided.length === 0) return [[key, spec]];
    const active = decided.every(
      ([name, values]) => !(name in fixed) || values.includes(fixed[name] as never),
    );
    if (!active) return [];
    const rest = Object.fromEntries(Object.entries(when).filter(([name]) => name in kept));
    const { when: _when, ...unconditional } = spec as Record<string, unknown>;
    return [[key, Object.keys(rest).length > 0 ? { ...unconditional, when: rest } : unconditional]];
  });
  return Object.fromEntries(entries);
}

function conditionOf(spec: unknown): Record<string, readonly unknown[]> | undefined {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || !('when' in spec)) return undefined;
  return (spec as { when?: Record<string, readonly unknown[]> }).when;
}

/**
 * Normalises a study's space: each parameter on its own first (so every malformed parameter is reported), then
 * conditions and constraints across them. Returns the space with registry defaults and latency hints, or the
 * problems.
 */
export function buildStudySpace(
  raw: Record<string, unknown>,
  constraints: readonly unknown[],
  runtime: RuntimeAdapter,
  given: boolean,
): { space?: SearchSpace; problems: OptionProblem[] } {
  const parameters = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, withRegistryDefault(k, v, runtime)]),
  );
  const problems: OptionProblem[] = [];
  for (const [name, spec] of Object.entries(parameters)) {
    try {
      normalizeSpace({ parameters: { [name]: withoutCondition(spec) as ParamInput } });
    } catch (error) {
      problems.push(problemOf(error));
    }
  }
  if (Object.keys(parameters).length === 0)
    problems.push({
      path: 'space',
      value: raw,
      expected: given
        ? 'at least one parameter to tune'
        : `a space of your own: fixedParams and presets set every flag of the ${runtime.name} default space`,
    });
  if (problems.length > 0) return { problems };
  try {
    const space = normalizeSpace({
      parameters: parameters as Record<string, ParamInput>,
      constraints: constraints as never,
    });
    return { space: withLatencyHints(space, runtime.flavor), problems };
  } catch (error) {
    return { problems: [problemOf(error)] };
  }
}
