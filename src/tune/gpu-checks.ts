// The GPUs a study needs against the GPUs it has: an engine that runs on GPUs with none to lease is one error
// before the study starts (not one invalid trial per configuration), and so is a parallel layout wider than
// the GPUs available.
import { gpusPerNode } from '../parallelism/world-size.js';
import { presetParams, presetProblems } from '../runtimes/presets.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { canonicalParams } from '../runtimes/validate-params.js';
import type { OptionProblem } from './options-error.js';
import type { ParsedTuneOptions } from './options-schema.js';
import { spaceValues } from './param-checks.js';
import type { StudyGpus } from './resolve-gpus.js';

/** What the GPU checks need to know beside the inventory. */
export interface GpuCheckContext {
  options: Pick<Partial<ParsedTuneOptions>, 'gpus' | 'fixedParams' | 'presets'>;
  runtime: RuntimeAdapter;
  /** The user's space (the default one is judged by the trials: it is the runtime's own). */
  space: Record<string, unknown> | undefined;
  /** The study leases GPUs from its pool (a cluster controller places them itself: nothing to check here). */
  leases: boolean;
  /** The trials are planned by the study's own rules (no caller's evaluator). */
  ownPlan: boolean;
}

// GPUs one node of this configuration needs, or undefined when the layout is invalid (reported elsewhere).
function needed(params: Record<string, unknown>, runtime: RuntimeAdapter): number | undefined {
  try {
    return gpusPerNode(canonicalParams(params, runtime).params, runtime.flavor);
  } catch {
    return undefined;
  }
}

// The parameters of the presets, or none when they are wrong (the option checks report that).
function knownPresets(names: readonly string[]): Record<string, string> {
  return presetProblems(names).length === 0 ? presetParams(names) : {};
}

function noGpuProblem(context: GpuCheckContext, inventory: StudyGpus): OptionProblem {
  const { runtime, options } = context;
  const found =
    inventory.source === 'none'
      ? "gpus: 'none' declares none"
      : `the probe found none${inventory.reason ? ` (${inventory.reason})` : ''}`;
  const expected =
    runtime.traits.devices === 'simulated'
      ? `GPUs for the simulated engine to imitate, and ${found}; leave \`gpus\` unset for virtual ones (sim.gpu, sim.numGpus), or declare them`
      : `GPUs to lease: runtime ${runtime.name} runs on GPUs, and ${found}; declare the GPUs as a static inventory (gpus: [{ index: 0, memoryTotalMiB: 81920 }]), tune the simulated engine (runtime: sim), or let a cluster place the trials (controller: { kind: 'kubernetes' })`;
  return { path: 'gpus', value: options.gpus ?? 'probe', expected };
}

// Where the inventory's count comes from, for messages.
const SOURCE_NAMES: Record<StudyGpus['source'], string> = {
  static: 'declared in `gpus`',
  probe: 'found on this host',
  none: 'none',
  virtual: 'simulated: sim.numGpus',
};

/** Problems of a study's GPU needs against its inventory. */
export function gpuProblems(context: GpuCheckContext, inventory: StudyGpus): OptionProblem[] {
  const { runtime, options, leases, ownPlan } = context;
  // llama.cpp spreads over the GPUs it is given and runs on the CPU without: any inventory will do.
  if (!leases || runtime.traits.devices === 'gpu-or-cpu') return [];
  const available = inventory.gpus.length;
  if (available === 0) return ownPlan ? [noGpuProblem(context, inventory)] : [];
  if (!ownPlan) return [];
  const fixed = { ...knownPresets(options.presets ?? []), ...(options.fixedParams ?? {}) };
  const more = (n: number | undefined) =>
    n !== undefined && n > available
      ? `a layout that fits the ${available} GPU${available === 1 ? '' : 's'} available (${SOURCE_NAMES[inventory.source]}); it needs ${n}`
      : undefined;
  const fixedNeed = more(needed(fixed, runtime));
  if (fixedNeed) {
    // Name the fixed parameter or preset that asks for the GPUs, else the fixed parameters together.
    const fixedParams = options.fixedParams ?? {};
    const culprits = [
      ...Object.entries(fixedParams)
        .filter(([key, value]) => more(needed({ [key]: value }, runtime)))
        .map(([key, value]) => ({ path: `fixedParams.${key}`, value })),
      ...(options.presets ?? []).flatMap((name, i) =>
        more(needed(knownPresets([name]), runtime)) ? [{ path: `presets[${i}]`, value: name }] : [],
      ),
    ];
    const places = culprits.length > 0 ? culprits : [{ path: 'fixedParams', value: fixedParams }];
    return places.map((place) => ({ ...place, expected: fixedNeed }));
  }
  // Each value on its own with the fixed parameters: other parameters at their defaults add no GPUs.
  const problems: OptionProblem[] = [];
  for (const [key, spec] of Object.entries(context.space ?? {})) {
    for (const { path, value } of spaceValues(key, spec)) {
      const expected = more(needed({ ...fixed, [key]: value }, runtime));
      if (expected) problems.push({ path, value, expected });
    }
  }
  return problems;
}
