// How the report reads one trial: its outcome class, the objective shown, and why it failed or missed the SLO.
import type { SloSpec } from '../slo/types.js';
import type { TrialRecord } from '../tune/trial-record.js';
import type { Direction, ReportData } from './report-data.js';

/** What a chart mark says about a trial. */
export type TrialOutcome = 'feasible' | 'infeasible' | 'failed' | 'pruned';

/** The outcome class of a trial for drawing. */
export function trialOutcome(trial: TrialRecord): TrialOutcome {
  if (trial.state === 'complete') return trial.feasible ? 'feasible' : 'infeasible';
  return trial.state === 'pruned' ? 'pruned' : 'failed';
}

/** The first objective value in the user's direction, when finite. */
export function firstObjective(trial: TrialRecord): number | undefined {
  const value = trial.objective?.[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The classified reason of a failed, invalid or pruned trial. */
export function failureReason(trial: TrialRecord): string {
  return trial.failure?.reason ?? trial.failureReason ?? trial.state;
}

/** A CSS-safe class name for a failure reason. */
export const reasonClass = (reason: string): string =>
  `r-${reason.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;

/** Labels of the SLO bounds in constraint order, e.g. `p99 ttft <= 500 ms`, then the error-rate bound. */
export function constraintLabels(slo: SloSpec | undefined): string[] {
  if (!slo) return [];
  const labels = slo.terms.map((t) => `${t.stat} ${t.metric} <= ${t.maxMs} ms`);
  if (slo.maxErrorRate !== undefined) labels.push(`error rate <= ${slo.maxErrorRate}`);
  return labels;
}

/** Why a complete trial is infeasible: the SLO bounds it broke. */
export function violatedBounds(trial: TrialRecord, slo: SloSpec | undefined): string[] {
  const labels = constraintLabels(slo);
  return (trial.constraints ?? [])
    .map((value, i) => (value > 0 ? (labels[i] ?? `constraint ${i + 1}`) : undefined))
    .filter((label): label is string => label !== undefined);
}

/** A one-line description of a trial's outcome for tooltips and tables. */
export function outcomeText(trial: TrialRecord, slo: SloSpec | undefined): string {
  const outcome = trialOutcome(trial);
  if (outcome === 'feasible') return 'feasible';
  if (outcome === 'infeasible') {
    const broken = violatedBounds(trial, slo);
    return broken.length > 0 ? `misses ${broken.join(', ')}` : 'infeasible';
  }
  return failureReason(trial);
}

/** True when the benchmark client, not the server, set the pace of a run (its figures may understate the server). */
export const isClientLimited = (trial: TrialRecord): boolean => (trial.clientLimited?.length ?? 0) > 0;

/** True when the tuner reached the server through a Kubernetes API-server port-forward. */
export const isPortForwarded = (trial: TrialRecord): boolean => trial.via === 'port-forward';

/** What a port-forward does to the figures, after how many of the runs went through one. */
export function portForwardText(forwarded: number, total: number): string {
  return `${forwarded} of ${total} runs were measured through a Kubernetes API-server port-forward: every request crossed the API server and the kubelet, which adds latency to each TTFT and ITL sample and caps throughput, so their figures are worse than the servers' own (run the tuner inside the cluster, endpointMode: service, for numbers close to the server).`;
}

/** True when the recommendation is the engine defaults (said by the study, or implied in older journals). */
export function keepsDefaults(data: Pick<ReportData, 'best' | 'defaults'>): boolean {
  if (data.defaults?.keepDefaults !== undefined) return data.defaults.keepDefaults;
  return data.best !== undefined && data.best.trial === data.defaults?.defaultsTrial;
}

/** True when `a` is better than `b` in the given direction. */
export const better = (a: number, b: number, direction: Direction): boolean =>
  direction === 'maximize' ? a > b : a < b;

/** How the strategy came to suggest a trial, as a sentence (undefined when the journal does not say). */
export function originSentence(trial: TrialRecord | undefined): string | undefined {
  const origin = trial?.origin;
  if (!origin) return undefined;
  switch (origin.kind) {
    case 'repair':
      return `Found by ${origin.note ?? 'SLO repair'}.`;
    case 'defaults':
      return "Found first: the search space's defaults.";
    case 'initial':
      return 'A configuration given to the strategy to try first.';
    case 'design':
      return 'Found by the space-filling start (Latin hypercube).';
    case 'model':
      return `Found by the model${origin.note ? ` (${origin.note})` : ''}.`;
    case 'grid':
      return 'Found in grid order.';
    default:
      return 'Found by a random draw.';
  }
}
