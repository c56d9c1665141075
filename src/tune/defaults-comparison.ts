// The comparison of the best tuned configuration with the engine defaults, with an interval and a verdict.

import { meanOf, sdOf } from './confirm.js';
import type { ComparedRuns, DefaultsComparison } from './result.js';
import { studentTQuantile } from './student-t.js';
import type { TrialRecord } from './trial-record.js';

/** Confidence of the interval on the gain over the defaults. */
export const COMPARISON_CONFIDENCE = 0.95;

/** The gain of one sample of runs over another. */
export interface SampleComparison {
  /** Relative change of the means in the user's direction (undefined when the defaults' mean is 0). */
  improvement: number | undefined;
  interval: { low: number; high: number; confidence: number } | undefined;
  verdict: 'better' | 'within-noise' | 'worse' | 'unconfirmed';
}

/**
 * Compares repeated measurements of the first objective (user direction) of a tuned configuration with those
 * of the engine defaults. The interval is Welch's t interval for the difference of the means, expressed as a
 * share of the defaults' mean. Why Welch and not a bootstrap: a study affords two or three runs per side, and
 * a bootstrap of three numbers has ten distinct resamples and a percentile interval far too narrow (it takes
 * the spread of three runs for the truth); Welch's interval pays for estimating the spread through the t
 * quantile at the Welch-Satterthwaite degrees of freedom (about 12.7 times the standard error at one degree
 * of freedom, 4.3 at two), lets the two sides be unequally noisy, and needs no seed. Dividing by the
 * defaults' mean treats it as a fixed scale: the verdict is exactly Welch's on the difference, only its unit
 * is relative. Fewer than two runs on a side give no spread to judge by: `unconfirmed`.
 */
export function compareSamples(
  tuned: readonly number[],
  defaults: readonly number[],
  direction: 'minimize' | 'maximize',
  confidence = COMPARISON_CONFIDENCE,
): SampleComparison {
  const tunedMean = meanOf(tuned);
  const defaultsMean = meanOf(defaults);
  if (tunedMean === undefined || defaultsMean === undefined)
    return { improvement: undefined, interval: undefined, verdict: 'unconfirmed' };
  const sign = direction === 'maximize' ? 1 : -1;
  const gain = sign * (tunedMean - defaultsMean);
  const scale = Math.abs(defaultsMean);
  const improvement = scale > 0 ? gain / scale : undefined;
  if (tuned.length < 2 || defaults.length < 2)
    return { improvement, interval: undefined, verdict: 'unconfirmed' };
  const varTuned = sdOf(tuned) ** 2 / tuned.length;
  const varDefaults = sdOf(defaults) ** 2 / defaults.length;
  const se = Math.sqrt(varTuned + varDefaults);
  // Runs without any spread (a deterministic evaluator) leave no noise: the interval is the point.
  const df =
    se > 0
      ? (varTuned + varDefaults) ** 2 /
        (varTuned ** 2 / (tuned.length - 1) + varDefaults ** 2 / (defaults.length - 1))
      : Number.POSITIVE_INFINITY;
  const half = se > 0 ? studentTQuantile(1 - (1 - confidence) / 2, df) * se : 0;
  const low = gain - half;
  const high = gain + half;
  const verdict = low > 0 ? 'better' : high < 0 ? 'worse' : 'within-noise';
  const interval = scale > 0 ? { low: low / scale, high: high / scale, confidence } : undefined;
  return { improvement, interval, verdict };
}

const confirmRunsOf = (history: readonly TrialRecord[], trial: number) =>
  history.filter((t) => t.phase === 'confirm' && t.confirmOf === trial);

const firstObjective = (t: TrialRecord): number | undefined => {
  const value = t.objective?.[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

function sample(runs: readonly TrialRecord[]): { values: number[]; runs: ComparedRuns } {
  const kept = runs.filter((t) => firstObjective(t) !== undefined);
  const values = kept.map((t) => firstObjective(t) as number);
  return {
    values,
    runs: {
      trials: kept.map((t) => t.number),
      mean: meanOf(values),
      sd: values.length > 1 ? sdOf(values) : undefined,
    },
  };
}

/** A number for a sentence: 4 significant digits at most, integers from 100 up. */
export function sentenceNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3)));
}

/** A signed percentage for a sentence, e.g. 0.123 -> `+12.3%`. */
export function sentencePercent(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  const pct = ratio * 100;
  return `${pct > 0 ? '+' : ''}${Math.abs(pct) >= 100 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

function intervalText(c: SampleComparison): string {
  const i = c.interval;
  return i
    ? `${Math.round(i.confidence * 100)}% interval ${sentencePercent(i.low)} to ${sentencePercent(i.high)}`
    : '';
}

interface SummaryParts {
  verdict: DefaultsComparison['verdict'];
  tunedTrial: number | undefined;
  objectiveName: string;
  comparison: SampleComparison;
  tuned: ComparedRuns | undefined;
  defaults: ComparedRuns;
  keepDefaults: boolean;
  defaultsFeasibleRuns: number;
  defaultsRuns: number;
  defaultsFailure: string | undefined;
}

function summaryOf(p: SummaryParts): string {
  const change = `${sentencePercent(p.comparison.improvement)} ${p.objectiveName}`;
  const means = `${sentenceNumber(p.tuned?.mean)} vs ${sentenceNumber(p.defaults.mean)}`;
  const over = `over ${p.tuned?.trials.length ?? 0} and ${p.defaults.trials.length} interleaved runs`;
  const trial = `trial ${p.tunedTrial}`;
  switch (p.verdict) {
    case 'better':
      return `Trial ${p.tunedTrial} beats the engine defaults beyond noise: ${change} (${intervalText(p.comparison)}; ${means} ${over}).`;
    case 'within-noise':
      return `Keep the engine defaults: the best tuned configuration (${trial}) measured ${change}, within noise (${intervalText(p.comparison)}; ${means} ${over}).`;
    case 'worse':
      return `Keep the engine defaults: the best tuned configuration (${trial}) measured ${change}, worse beyond noise (${intervalText(p.comparison)}; ${means} ${over}).`;
    case 'unconfirmed':
      return p.keepDefaults
        ? `Keep the engine defaults: the best tuned configuration (${trial}) measured ${change} (${means}) on single runs.`
        : `Trial ${p.tunedTrial} measured ${change} over the engine defaults (${means}) on single runs: without two confirmation runs of each this cannot be told from noise.`;
    case 'no-tuned-feasible':
      return `Keep the engine defaults: no tuned configuration met the SLO; the defaults met it in ${p.defaultsFeasibleRuns} of ${p.defaultsRuns} runs.`;
    case 'defaults-infeasible':
      return p.tunedTrial === undefined
        ? `The engine defaults broke the SLO in ${p.defaultsRuns - p.defaultsFeasibleRuns} of ${p.defaultsRuns} runs, and no tuned configuration met it.`
        : `The engine defaults broke the SLO in ${p.defaultsRuns - p.defaultsFeasibleRuns} of ${p.defaultsRuns} runs; ${trial} meets it (${change}, ${means}).`;
    default:
      return p.tunedTrial === undefined
        ? `The engine defaults failed (${p.defaultsFailure ?? 'no run completed'}), and no tuned configuration met the SLO.`
        : `The engine defaults failed (${p.defaultsFailure ?? 'no run completed'}); ${trial} meets the SLO.`;
  }
}

/**
 * Compares the best tuned configuration (`tuned`, a feasible search trial, or undefined when none met the SLO)
 * with the engine defaults: the baseline trial and the confirmation runs that re-measured it. The interval
 * uses the confirmation runs of both sides only: they were measured interleaved, in the same period, while
 * the tuned configuration's search run was the best of many noisy runs and leans optimistic. Undefined when
 * the study has no baseline trial.
 */
export function compareWithDefaults(
  history: readonly TrialRecord[],
  tuned: TrialRecord | undefined,
  direction: 'minimize' | 'maximize',
  objectiveName: string,
): DefaultsComparison | undefined {
  const baseline = history.find((t) => t.phase === 'baseline');
  if (!baseline) return undefined;
  const defaultsAll = [baseline, ...confirmRunsOf(history, baseline.number)];
  const feasibleRuns = defaultsAll.filter((t) => t.feasible);
  const completed = defaultsAll.filter((t) => t.state === 'complete');
  const defaultsFeasible = feasibleRuns.length > 0 && feasibleRuns.length * 2 >= defaultsAll.length;
  const tunedConfirm = tuned
    ? sample(confirmRunsOf(history, tuned.number).filter((t) => t.feasible))
    : undefined;
  const defaultsConfirm = sample(confirmRunsOf(history, baseline.number).filter((t) => t.feasible));
  const confirmed = (tunedConfirm?.values.length ?? 0) >= 2 && defaultsConfirm.values.length >= 2;
  // Without two confirmation runs a side, the point estimate uses every run there is.
  const tunedSample = confirmed
    ? tunedConfirm
    : tuned
      ? sample([tuned, ...confirmRunsOf(history, tuned.number)].filter((t) => t.feasible))
      : undefined;
  const defaultsSample = confirmed ? defaultsConfirm : sample(defaultsFeasible ? feasibleRuns : completed);
  const measured = compareSamples(tunedSample?.values ?? [], defaultsSample.values, direction);
  const comparison: SampleComparison = confirmed
    ? measured
    : { improvement: measured.improvement, interval: undefined, verdict: 'unconfirmed' };
  // The defaults broke the SLO in a confirmation run while the tuned configuration met it in each of its (two
  // or more): measured side by side, the tuned one holds the SLO and the defaults do not, whatever the means.
  const defaultsConfirmRuns = confirmRunsOf(history, baseline.number);
  const tunedConfirmRuns = tuned ? confirmRunsOf(history, tuned.number) : [];
  const defaultsBrokeSlo =
    tunedConfirmRuns.length >= 2 &&
    tunedConfirmRuns.every((t) => t.feasible) &&
    defaultsConfirmRuns.some((t) => !t.feasible && t.state !== 'failed' && t.state !== 'invalid');
  let verdict: DefaultsComparison['verdict'];
  let keepDefaults = false;
  if (completed.length === 0) verdict = 'defaults-failed';
  else if (!defaultsFeasible || defaultsBrokeSlo) verdict = 'defaults-infeasible';
  else if (!tuned) {
    verdict = 'no-tuned-feasible';
    keepDefaults = true;
  } else {
    verdict = comparison.verdict;
    const gain =
      (direction === 'maximize' ? 1 : -1) * ((tunedSample?.runs.mean ?? 0) - (defaultsSample.runs.mean ?? 0));
    // Changing flags is worth it only for a gain beyond noise; on single runs, for any measured gain.
    keepDefaults = verdict === 'unconfirmed' ? !(gain > 0) : verdict !== 'better';
  }
  const failed = defaultsAll.find((t) => t.state !== 'complete');
  const result: Omit<DefaultsComparison, 'summary'> = {
    defaultsTrial: baseline.number,
    defaultsFeasible,
    improvement: verdict === 'defaults-failed' ? undefined : comparison.improvement,
    interval: comparison.interval,
    verdict,
    keepDefaults,
    tunedTrial: tuned?.number,
    tunedRuns: tunedSample?.runs,
    defaultsRuns: defaultsSample.runs,
  };
  const summary = summaryOf({
    verdict,
    tunedTrial: tuned?.number,
    objectiveName,
    comparison,
    tuned: tunedSample?.runs,
    defaults: defaultsSample.runs,
    keepDefaults,
    defaultsFeasibleRuns: feasibleRuns.length,
    defaultsRuns: defaultsAll.length,
    defaultsFailure: failed?.failure?.reason ?? failed?.failureReason,
  });
  return { ...result, summary };
}
