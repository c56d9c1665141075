// Raw arguments, parameters and environment that would set what the study sets on every launch itself, or what
// the fixed parameters and the space already set: refused before launch, naming where it was set.
import { lookupFlag, resolveParams } from '../runtimes/resolve-params.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import type { OptionProblem } from './options-error.js';
import { SIMULATED_OWNED, studyOwnedFlags } from './owned-flags.js';
import { fixedFlagOwners, spaceSample } from './param-checks.js';

/**
 * Parameters (fixed, tuned or initial) that set a flag the study owns on this runtime (reserved flags are
 * refused by the engine validation already; this adds the simulated engine's seed, speed and noise).
 */
export function ownedParamProblems(
  params: readonly { path: string; key: string; value: unknown }[],
  runtime: RuntimeAdapter,
): OptionProblem[] {
  if (runtime.traits.devices !== 'simulated') return [];
  const problems: OptionProblem[] = [];
  for (const { path, key, value } of params) {
    for (const { flag } of resolveParams({ [key]: value }, runtime).params) {
      const reason = SIMULATED_OWNED[flag.name];
      if (reason) problems.push({ path, value, expected: `no ${flag.name}: ${reason}` });
    }
  }
  return problems;
}

// A word of a command line that names a flag (`--port`, `--port=8000`, `-m`), not a value such as `-1`.
function flagWord(word: string): string | undefined {
  if (!word.startsWith('-') || /^-\d|^-\.\d/.test(word) || word === '-' || word === '--') return undefined;
  return word.split('=')[0];
}

/**
 * Raw arguments that set what the study owns (host, port, model, ...) or what the fixed parameters, presets or
 * the space already set: refused at `extraArgs[i]`, since the last spelling on a command line wins and the
 * study would measure something other than what it records. Flags the registry does not know pass: extraArgs
 * are the way to reach those.
 */
export function extraArgProblems(
  extraArgs: readonly string[],
  fixed: Record<string, unknown>,
  presets: readonly string[],
  space: Record<string, unknown>,
  runtime: RuntimeAdapter,
): OptionProblem[] {
  const owned = studyOwnedFlags(runtime);
  const owners = fixedFlagOwners(fixed, presets, runtime);
  const tuned = new Map<string, string>();
  for (const [key, spec] of Object.entries(space))
    for (const { flag } of resolveParams({ [key]: spaceSample(spec) }, runtime).params)
      tuned.set(flag.name, key);
  const problems: OptionProblem[] = [];
  extraArgs.forEach((word, i) => {
    const name = flagWord(word);
    if (name === undefined) return;
    const flag = lookupFlag(runtime.registry, name, runtime.flavor)?.flag.name ?? name;
    const path = `extraArgs[${i}]`;
    const reason = owned.get(flag);
    const owner = owners.get(flag);
    const tunedBy = tuned.get(flag);
    if (reason) problems.push({ path, value: word, expected: `no ${flag}: ${reason}` });
    else if (owner)
      problems.push({
        path,
        value: word,
        expected: `no ${flag}: ${owner.path} already sets it on every trial; set it in one place`,
      });
    else if (tunedBy !== undefined)
      problems.push({
        path,
        value: word,
        expected: `no ${flag}: space.${tunedBy} tunes it, and an extra argument would override every trial's value`,
      });
  });
  return problems;
}

/** Environment the study sets per trial itself: the GPUs a trial may see come from its lease. */
export function envProblems(env: Record<string, string>): OptionProblem[] {
  return Object.keys(env)
    .filter((key) => key === 'CUDA_VISIBLE_DEVICES')
    .map((key) => ({
      path: `env.${key}`,
      value: env[key],
      expected:
        'no CUDA_VISIBLE_DEVICES: each trial sees the GPUs it leases; declare the usable GPUs with `gpus`',
    }));
}
