// How far the analytic model's predictions were from the measurements of a study: per metric the median absolute
// percentage error, the rank correlation and the median measured/predicted ratio; the winner's prediction
// corrected by that ratio.
import type { RunMetrics } from '../slo/types.js';
import { median, rankCorrelation as spearman } from '../util/agreement.js';
import type { TrialRecord } from './trial-record.js';

/** A metric the calibration compares. */
export interface CalibratedMetric {
  key: 'outputTokensPerS' | 'ttftP50Ms' | 'tpotP50Ms';
  label: string;
}

/** The metrics compared, in display order. */
export const CALIBRATED_METRICS: readonly CalibratedMetric[] = [
  { key: 'outputTokensPerS', label: 'output tok/s' },
  { key: 'ttftP50Ms', label: 'TTFT p50 ms' },
  { key: 'tpotP50Ms', label: 'TPOT p50 ms' },
];

/** One metric's agreement over the measured trials that carry a prediction. */
export interface MetricCalibration {
  key: CalibratedMetric['key'];
  label: string;
  pairs: number;
  /** Median of |predicted - measured| / measured. */
  medianApe: number | undefined;
  /** Spearman rank correlation of predicted and measured (undefined under 3 pairs or no spread). */
  rankCorrelation: number | undefined;
  /** Median of measured / predicted: the model's bias, by which a prediction is corrected. */
  ratio: number | undefined;
}

/** The calibration of a study. */
export interface StudyCalibration {
  metrics: MetricCalibration[];
  /** Trials with both figures (complete, measured, predicted). */
  compared: number;
  /** Configurations not launched because the model predicted they could not start. */
  screened: number;
  /** Screened configurations by kind. */
  screenedByKind: Record<string, number>;
  /** The winner's predicted figures, corrected by each metric's ratio, beside what was measured. */
  winner?: { trial: number; predicted: MetricFigures; calibrated: MetricFigures; measured: MetricFigures };
}

type MetricFigures = Partial<Record<CalibratedMetric['key'], number>>;

function figures(metrics: RunMetrics | undefined): MetricFigures {
  if (!metrics) return {};
  const out: MetricFigures = {};
  const put = (key: CalibratedMetric['key'], value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value) && value > 0) out[key] = value;
  };
  put('outputTokensPerS', metrics.outputTokensPerS);
  put('ttftP50Ms', metrics.ttftMs.p50);
  put('tpotP50Ms', metrics.tpotMs.p50);
  return out;
}

/** Spearman's rank correlation; undefined under 3 pairs or without spread. */
export function rankCorrelation(a: readonly number[], b: readonly number[]): number | undefined {
  return spearman(a, b, 3);
}

/**
 * The calibration of a study's analytic model against its measured trials, or undefined when no trial carries
 * a prediction and none was screened (a study without the model).
 */
export function studyCalibration(
  trials: readonly TrialRecord[],
  winner?: number | undefined,
): StudyCalibration | undefined {
  const screenedTrials = trials.filter((t) => t.screened !== undefined);
  const measured = trials.filter((t) => t.state === 'complete' && t.predicted && t.metrics);
  if (measured.length === 0 && screenedTrials.length === 0) return undefined;
  const metrics = CALIBRATED_METRICS.map(({ key, label }): MetricCalibration => {
    const predicted: number[] = [];
    const actual: number[] = [];
    for (const t of measured) {
      const p = figures(t.predicted)[key];
      const m = figures(t.metrics)[key];
      if (p === undefined || m === undefined) continue;
      predicted.push(p);
      actual.push(m);
    }
    return {
      key,
      label,
      pairs: predicted.length,
      medianApe: median(actual.map((m, i) => Math.abs((predicted[i] as number) - m) / m)),
      rankCorrelation: rankCorrelation(predicted, actual),
      ratio: median(actual.map((m, i) => m / (predicted[i] as number))),
    };
  });
  const screenedByKind: Record<string, number> = {};
  for (const t of screenedTrials) {
    const kind = t.screened?.kind ?? 'unknown';
    screenedByKind[kind] = (screenedByKind[kind] ?? 0) + 1;
  }
  const best = winner === undefined ? undefined : trials.find((t) => t.number === winner);
  let winnerFigures: StudyCalibration['winner'];
  if (best?.predicted) {
    const predicted = figures(best.predicted);
    const calibrated: MetricFigures = {};
    for (const m of metrics) {
      const p = predicted[m.key];
      if (p !== undefined && m.ratio !== undefined) calibrated[m.key] = p * m.ratio;
    }
    winnerFigures = { trial: best.number, predicted, calibrated, measured: figures(best.metrics) };
  }
  return {
    metrics,
    compared: measured.length,
    screened: screenedTrials.length,
    screenedByKind,
    ...(winnerFigures ? { winner: winnerFigures } : {}),
  };
}
