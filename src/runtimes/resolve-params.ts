// Maps caller parameters (any spelling, presets included) onto an engine's registry flags.
import { describeValue } from '../errors.js';
import { simFlagSpecs } from './adapters/sim-flags.js';
import { stableJson } from './check-value.js';
import { foldDottedKeys } from './dotted-keys.js';
import { conceptOf, ENGINE_CONCEPTS } from './engine-concepts.js';
import { parallelFlagFor } from './parallel-flags.js';
import { byCodeUnit, candidateSpellings, normalizeParamName, presetKind } from './param-name.js';
import type { ParamProblem } from './param-problem.js';
import { expandParallel, expandQuantization, parseParallelPreset, QUANTIZATION_PRESETS } from './presets.js';
import { type FlagRegistry, type FlagSpec, loadRegistry } from './registry.js';
import type { RuntimeAdapter } from './runtime-adapter.js';
import { ENGINE_FLAVORS, type EngineFlavor } from './runtime-name.js';
import { suggestFlags } from './suggest.js';

/** One parameter mapped onto an engine flag. */
export interface ResolvedParam {
  /** The parameter as the caller spelled it (or the preset that produced it). */
  param: string;
  flag: FlagSpec;
  /** Value with negated spellings (`--no-x: true`) already turned into the flag's own sense. */
  value: unknown;
  /** Name of the preset the value came from, when it came from one. */
  preset?: string;
}

/** Parameters resolved against a registry, with the problems found on the way. */
export interface ResolvedParams {
  params: ResolvedParam[];
  problems: ParamProblem[];
}

// Flags whose value is a credential: `--hf-token`, `--api-key`, `--ssl-keyfile-password`.
const SECRET_FLAG = /(?:^|-)(?:token|api-key|password|passwd|secret)$/;

const FLAVORS: readonly EngineFlavor[] = ENGINE_FLAVORS;
const ENGINE_LABEL: Record<EngineFlavor, string> = { vllm: 'vLLM', sglang: 'SGLang', llamacpp: 'llama.cpp' };

/** Finds the flag a parameter name means; `negated` when a negative spelling (`--no-x`, `--disable-x`) matched. */
export function lookupFlag(
  registry: FlagRegistry,
  name: string,
  engine?: EngineFlavor,
  value?: unknown,
): { flag: FlagSpec; negated: boolean } | undefined {
  for (const spelling of candidateSpellings(name)) {
    const flag = registry.bySpelling.get(spelling);
    if (flag) return { flag, negated: flag.negations?.includes(spelling) ?? false };
  }
  // A feature named by what it turns on (`radix-cache`, `enable-radix-cache`) when the engine only has `--disable-x`.
  const bare = normalizeParamName(name)
    .slice(2)
    .replace(/^enable-/, '');
  const negative = registry.bySpelling.get(`--disable-${bare}`);
  if (negative && negative.type === 'bool') return { flag: negative, negated: true };
  // Parallel knobs in any spelling the parallelism module knows (`tp`, `tp_size`, `tensor-parallel`).
  const parallel = engine ? parallelFlagFor(name, engine, value) : undefined;
  const flag = parallel ? registry.bySpelling.get(parallel) : undefined;
  if (flag) return { flag, negated: /^-*no-/.test(name.trim()) && flag.type === 'bool' };
  return undefined;
}

// Hints for a flag another engine knows: whose it is and what this engine calls the same idea.
function crossEngineHint(
  name: string,
  engine: EngineFlavor,
): { text: string; equivalent?: string } | undefined {
  for (const other of FLAVORS) {
    if (other === engine) continue;
    const found = lookupFlag(loadRegistry(other), name, other);
    if (!found) continue;
    const concept = conceptOf(other, found.flag.name);
    const mine = concept ? ENGINE_CONCEPTS[concept]?.[engine] : undefined;
    const text = `${found.flag.name} is a ${ENGINE_LABEL[other]} flag${
      mine
        ? `; the ${ENGINE_LABEL[engine]} equivalent (${concept}) is ${mine.flag}${mine.inverted ? ' (inverted)' : ''}`
        : ''
    }`;
    return mine ? { text, equivalent: mine.flag } : { text };
  }
  const simFlag = simFlagSpecs().find((flag) => flag.name === normalizeParamName(name));
  if (simFlag) return { text: `${simFlag.name} is a flag of the simulated engine (runtime sim)` };
  return undefined;
}

// `2` and `'2'` (YAML vs code) are the same setting.
function sameValue(a: unknown, b: unknown): boolean {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return scalar(a) && scalar(b) ? String(a) === String(b) : stableJson(a) === stableJson(b);
}

function invert(value: unknown): unknown {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() !== 'true';
  return value;
}

function expandPresetParam(
  key: string,
  value: unknown,
  adapter: RuntimeAdapter,
): { flags: Record<string, unknown>; problem?: ParamProblem } {
  const kind = presetKind(key) ?? 'parallel';
  const name = String(value);
  const expansion =
    kind === 'quantization'
      ? expandQuantization(name, adapter.flavor)
      : (() => {
          const degrees = parseParallelPreset(name);
          return degrees ? expandParallel(degrees, adapter.flavor) : undefined;
        })();
  if (!expansion) {
    const known =
      kind === 'quantization'
        ? Object.keys(QUANTIZATION_PRESETS).join(', ')
        : 'tpN, ppN, dpN, ep and their combinations (tp2pp2)';
    return {
      flags: {},
      problem: {
        code: 'unknown_preset',
        severity: 'error',
        param: key,
        value,
        message: `Unknown ${kind} preset ${describeValue(value)}; known: ${known}`,
      },
    };
  }
  if ('refused' in expansion) {
    return {
      flags: {},
      problem: {
        code: 'unsupported_preset',
        severity: 'error',
        param: key,
        value,
        message: `${kind} preset ${describeValue(value)} cannot apply to ${adapter.name}: ${expansion.refused}`,
      },
    };
  }
  return { flags: expansion.flags };
}

/** Resolves parameters onto the adapter's registry: presets expanded, names normalised, negations folded. */
export function resolveParams(given: Record<string, unknown>, adapter: RuntimeAdapter): ResolvedParams {
  const { params, problems } = foldDottedKeys(given, adapter.registry);
  const byFlag = new Map<string, ResolvedParam>();
  const keys = Object.keys(params).sort((a, b) => byCodeUnit(a, b));
  // Presets first, so that explicit parameters override what a preset set.
  for (const key of keys.filter((k) => presetKind(k) !== undefined)) {
    const value = params[key];
    if (value === null || value === undefined) continue;
    const { flags, problem } = expandPresetParam(key, value, adapter);
    if (problem) problems.push(problem);
    for (const [flagName, flagValue] of Object.entries(flags)) {
      const flag = adapter.registry.bySpelling.get(flagName);
      if (!flag) {
        // A user-supplied registry of another engine version may lack a flag the preset needs.
        problems.push({
          code: 'unsupported_preset',
          severity: 'error',
          param: key,
          value,
          message: `Preset ${key}=${String(value)} needs ${flagName}, which ${adapter.registry.engineVersion} does not have`,
        });
        continue;
      }
      byFlag.set(flag.name, { param: key, flag, value: flagValue, preset: `${key}=${String(value)}` });
    }
  }
  for (const key of keys.filter((k) => presetKind(k) === undefined)) {
    const raw = params[key];
    if (raw === null || raw === undefined) continue; // unset: the engine default applies
    const found = lookupFlag(adapter.registry, key, adapter.flavor, raw);
    if (!found) {
      const hint = crossEngineHint(key, adapter.flavor);
      const suggestions = suggestFlags(adapter.registry, key);
      if (hint?.equivalent && !suggestions.includes(hint.equivalent)) suggestions.unshift(hint.equivalent);
      problems.push({
        code: 'unknown_flag',
        severity: 'error',
        param: key,
        value: raw,
        suggestions,
        message: `Unknown ${adapter.name} flag ${normalizeParamName(key)} (${adapter.registry.engineVersion})${
          hint ? `: ${hint.text}` : ''
        }${suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : ''}`,
        expected: `a flag of ${adapter.registry.engineVersion}${hint ? ` (${hint.text})` : ''}${
          suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : ''
        }`,
      });
      continue;
    }
    const { flag, negated } = found;
    if (adapter.reservedFlags.includes(flag.name)) {
      problems.push({
        code: 'reserved_flag',
        severity: 'error',
        param: key,
        flag: flag.name,
        message: `${flag.name} is set by the ${adapter.name} adapter itself (model, host and port come from the launch options)`,
        expected: `no ${flag.name}: the ${adapter.name} adapter sets it itself (model, host and port come from the launch options)`,
      });
      continue;
    }
    if (SECRET_FLAG.test(flag.name.replace(/^-+/, ''))) {
      problems.push({
        code: 'secret_flag',
        severity: 'error',
        param: key,
        flag: flag.name,
        message: `${flag.name} carries a secret; pass it through the launch options (secret environment), never the command line`,
        expected: `no ${flag.name}: it carries a secret, which goes to the engine's environment (\`hfToken\`, \`env\`), never on its command line`,
      });
      continue;
    }
    const value = negated ? invert(raw) : raw;
    const previous = byFlag.get(flag.name);
    if (previous && !previous.preset && !sameValue(previous.value, value)) {
      problems.push({
        code: 'conflict',
        severity: 'error',
        param: key,
        flag: flag.name,
        value: raw,
        message: `${key} and ${previous.param} both set ${flag.name} (${describeValue(value)} vs ${describeValue(previous.value)})`,
      });
      continue;
    }
    if (previous?.preset && !sameValue(previous.value, value)) {
      problems.push({
        code: 'preset_overridden',
        severity: 'warning',
        param: key,
        flag: flag.name,
        value: raw,
        message: `${key}=${describeValue(raw)} overrides ${flag.name}=${describeValue(previous.value)} from preset ${previous.preset}`,
      });
    }
    byFlag.set(flag.name, { param: key, flag, value });
  }
  const resolved = [...byFlag.values()].sort((a, b) => byCodeUnit(a.flag.name, b.flag.name));
  return { params: resolved, problems };
}
