// Options judged against the runtime: which adapter the options name, the models it can serve and the options
// that only mean something to some runtimes (`sim`, `modelPath`).
import { InvalidOptionError } from '../errors.js';
import type { RuntimeAdapter } from '../runtimes/runtime-adapter.js';
import { RUNTIME_NAMES } from '../runtimes/runtime-name.js';
import { getRuntime } from '../runtimes/runtimes.js';
import { findGpu, gpuCatalogue } from '../sim/gpu-catalogue.js';
import { findModel, modelCatalogue } from '../sim/model-catalogue.js';
import type { OptionProblem } from './options-error.js';
import type { ParsedTuneOptions } from './options-schema.js';

type Parts = Partial<ParsedTuneOptions>;

/**
 * The adapter the options' runtime names: one the caller supplied, else a bundled one (built with the options
 * that concern it). Throws InvalidOptionError when the name is unknown or the options do not fit it.
 */
export function runtimeOf(
  options: Pick<Parts, 'runtime' | 'engine'>,
  supplied: readonly RuntimeAdapter[],
): RuntimeAdapter {
  const name = options.runtime ?? 'sim';
  const given = supplied.find((adapter) => adapter.name === name);
  if (given) return given;
  const bundled = RUNTIME_NAMES.find((candidate) => candidate === name);
  if (!bundled) {
    const names = [...RUNTIME_NAMES, ...supplied.map((adapter) => adapter.name)];
    throw new InvalidOptionError('runtime', name, `one of ${names.join(', ')}`);
  }
  return getRuntime(bundled, options.engine ? { engine: options.engine } : {});
}

/** A model the runtime cannot serve, and a local model path for one that serves catalogue models only. */
export function modelProblems(
  options: Pick<Parts, 'model' | 'modelPath'>,
  runtime: RuntimeAdapter,
): OptionProblem[] {
  if (runtime.traits.models !== 'catalogue') return [];
  const problems: OptionProblem[] = [];
  const names = modelCatalogue()
    .map((m) => m.name)
    .join(', ');
  if (options.model !== undefined && !findModel(options.model))
    problems.push({ path: 'model', value: options.model, expected: `a simulated model: ${names}` });
  if (options.modelPath !== undefined)
    problems.push({
      path: 'modelPath',
      value: options.modelPath,
      expected: `no modelPath: runtime ${runtime.name} serves catalogue models (${names}) named by \`model\``,
    });
  return problems;
}

/** Simulated devices: the `sim` block describes them, and means nothing to an engine on real devices. */
export function simProblems(options: Pick<Parts, 'sim'>, runtime: RuntimeAdapter): OptionProblem[] {
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
  const gpu = options.sim?.gpu ?? 'h100';
  if (findGpu(gpu)) return [];
  const names = gpuCatalogue()
    .map((g) => g.name)
    .join(', ');
  return [{ path: 'sim.gpu', value: gpu, expected: `a simulated GPU: ${names}` }];
}

/** What an analytic estimate (instead of launches) needs: a runtime with a model of itself, synthetic prompts. */
export function estimateProblems(options: Pick<Parts, 'workload'>, runtime: RuntimeAdapter): OptionProblem[] {
  const problems: OptionProblem[] = [];
  if (!runtime.traits.analyticModel)
    problems.push({
      path: 'runtime',
      value: runtime.name,
      expected: 'a runtime with an analytic model (sim) for estimates',
    });
  if (options.workload !== undefined && options.workload.kind !== 'synthetic')
    problems.push({
      path: 'workload.kind',
      value: options.workload.kind,
      expected: 'synthetic: an analytic estimate knows prompt lengths, not prompts',
    });
  return problems;
}
