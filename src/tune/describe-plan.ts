// `--dry-run`: what a study would do, without launching anything.

import { controllerTraits } from '../controllers/controller-traits.js';
import { exportConfig } from '../deploy/exports.js';
import { worldSize } from '../parallelism/world-size.js';
import { canonicalParams } from '../runtimes/validate-params.js';
import type { ParamValue } from '../search/trial.js';
import type { CheckedStudy } from './check-study.js';
import { usesAnalyticPrior } from './create-strategy.js';
import type { TuneOptionsInput } from './options-schema.js';
import { placeholderGpus } from './placeholder-gpus.js';
import { type ResolvedOptions, resolveOptions } from './resolve-options.js';
import type { ScreenedConfiguration, ScreeningPlan } from './screening.js';
import { studyIdentity } from './study-identity.js';
import { studyExportOptions, studyLaunchSpec, trialParams } from './study-launch-spec.js';

// The SLO-repair hints of a parameter, grouped by value: `  (lower tpot, itl: 32; lower ttft: 256)`.
function hintText(lowers: Readonly<Record<string, ParamValue>> | undefined): string {
  if (!lowers || Object.keys(lowers).length === 0) return '';
  const byValue = new Map<ParamValue, string[]>();
  for (const [metric, value] of Object.entries(lowers))
    byValue.set(value, [...(byValue.get(value) ?? []), metric === 'kv' ? 'KV pressure' : metric]);
  return `  (${[...byValue].map(([value, metrics]) => `lower ${metrics.join(', ')}: ${String(value)}`).join('; ')})`;
}

const paramsText = (params: Record<string, unknown>): string =>
  Object.keys(params).length === 0
    ? 'engine defaults'
    : Object.entries(params)
        .map(([name, value]) => `${name}=${String(value)}`)
        .join(' ');

const screenedLine = (s: ScreenedConfiguration): string =>
  `    ${paramsText(s.params)}: ${s.kind}: ${s.reason}`;

// The screening section of the plan's text.
function screeningLines(plan: ScreeningPlan): string[] {
  if (plan.status !== 'done') return [`  screening: none (${plan.reason ?? plan.status})`];
  const kinds = Object.entries(plan.byKind ?? {})
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const scope = plan.sampled
    ? `a sample of ${plan.checked} of ${Number.isFinite(plan.spaceSize) ? plan.spaceSize : 'infinitely many'} configurations`
    : `all ${plan.checked} configurations`;
  const shown = plan.screened ?? [];
  return [
    `  screening (model ${plan.model}, GPU ${plan.gpu}, margin ${Math.round(plan.margin * 100)}% of memory): ${plan.screenedCount} of ${scope} would be screened${kinds ? ` (${kinds})` : ''}`,
    ...(plan.baselineScreened ? [screenedLine(plan.baselineScreened)] : []),
    ...shown.map(screenedLine),
    ...((plan.screenedCount ?? 0) > shown.length
      ? [`    ... and ${(plan.screenedCount ?? 0) - shown.length} more`]
      : []),
  ];
}

/**
 * What a study would do (validated options, space, the engine-defaults command), as data and as text; launches
 * nothing. Given options, it checks them alone (resolveOptions); given the result of checkStudy, the plan is of a
 * study that passed every check a launch would run (files, executables, GPUs), and it names the GPUs. With
 * `screening` (from screeningPlan), the plan lists which configurations the analytic model would screen.
 */
export function describePlan(
  input: CheckedStudy | ResolvedOptions | TuneOptionsInput,
  extra: { screening?: ScreeningPlan } = {},
): {
  data: Record<string, unknown>;
  text: string;
} {
  // Study options have no `options` field: only resolved options do.
  const resolved = 'options' in input ? (input as ResolvedOptions) : resolveOptions(input);
  const inventory = 'gpus' in resolved ? (resolved as CheckedStudy).gpus : undefined;
  const { options, runtime, space } = resolved;
  const identity = studyIdentity(options);
  const baseline = trialParams(resolved, {});
  const gpus = worldSize(canonicalParams(baseline, runtime).params, runtime.flavor);
  const traits = controllerTraits(options.controller);
  const { kind: controllerKind } = options.controller;
  const spec = studyLaunchSpec(resolved, {}, placeholderGpus(gpus), {
    studyId: identity.studyId,
    trialId: 'baseline',
  });
  const exports = exportConfig(spec, studyExportOptions(options.controller));
  const params = space.params.map((p) => ({
    name: p.name,
    kind: p.kind,
    ...(p.kind === 'categorical'
      ? { values: p.values }
      : p.kind === 'bool'
        ? {}
        : { low: p.low, high: p.high }),
    ...(p.lowers && Object.keys(p.lowers).length > 0 ? { lowers: p.lowers } : {}),
  }));
  // The model is known once screening has worked its figures out: the search may then take it as its prior.
  const priorKnown = extra.screening?.status === 'done';
  const data = {
    studyId: identity.studyId,
    journal: identity.journalPath,
    runtime: options.runtime,
    model: options.model,
    controller: options.controller,
    strategy: options.strategy,
    budget: options.budget,
    workload: options.workload,
    load: options.load,
    slo: resolved.slo,
    objective: resolved.objective,
    space: params,
    baselineCommand: exports[traits.export],
    baselineGpus: gpus,
    ...(inventory ? { gpus: { count: inventory.gpus.length, source: inventory.source } } : {}),
    ...(extra.screening ? { screening: extra.screening } : {}),
    ...(priorKnown ? { analyticPrior: usesAnalyticPrior(options.strategy) } : {}),
  };
  const lines = [
    `Study ${identity.studyId} (dry run: nothing is launched)`,
    `  runtime ${options.runtime}, model ${options.model}, controller ${controllerKind}, strategy ${typeof options.strategy === 'string' ? options.strategy : options.strategy.name}`,
    ...(inventory
      ? [
          `  GPUs ${inventory.gpus.length} (${inventory.source}${inventory.reason ? `: ${inventory.reason}` : ''})`,
        ]
      : []),
    `  budget ${options.budget.maxTrials} trials${options.budget.maxWallTimeMs ? `, ${options.budget.maxWallTimeMs / 1000} s` : ''}; journal ${identity.journalPath}`,
    `  workload ${JSON.stringify(options.workload)}; load ${JSON.stringify(options.load)}`,
    `  SLO ${resolved.slo ? JSON.stringify(resolved.slo.terms) : 'none'}; objective ${JSON.stringify(resolved.objective)}`,
    '  search space:',
    ...params.map(
      (p) =>
        `    ${p.name}: ${'values' in p ? JSON.stringify(p.values) : 'low' in p ? `${p.low} .. ${p.high}` : 'true | false'}${hintText(p.lowers)}`,
    ),
    `  engine defaults (first trial, ${gpus} GPU${gpus === 1 ? '' : 's'}), as deployed (a trial listens on the controller's address and a free port):`,
    ...data.baselineCommand.split('\n').map((line) => `    ${line}`),
    ...(extra.screening ? screeningLines(extra.screening) : []),
    ...(priorKnown
      ? [
          usesAnalyticPrior(options.strategy)
            ? "  search prior: the analytic model's predictions rank the start (strategy.analyticPrior: false turns it off)"
            : '  search prior: none (the analytic model screens only)',
        ]
      : []),
    '',
  ];
  return { data, text: lines.join('\n') };
}
