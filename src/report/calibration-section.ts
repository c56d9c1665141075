// The report's section on the analytic model: what it screened before launch, how far its predictions were from
// the measurements (per metric and per trial), and the winner's prediction corrected by the study's bias.
import { CALIBRATED_METRICS, type StudyCalibration, studyCalibration } from '../tune/calibration.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { formatNumber, formatParam } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import type { ReportData } from './report-data.js';

/** The study's calibration as the report reads it (winner: the study's best). */
export function reportCalibration(data: ReportData): StudyCalibration | undefined {
  return studyCalibration(data.trials, data.best?.record?.number);
}

const paramsText = (trial: TrialRecord): string =>
  Object.entries(trial.params)
    .map(([k, v]) => `${k}=${formatParam(v)}`)
    .join(' ') || '(engine defaults)';

const signed = (ratio: number): string => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;

function screenedTable(trials: readonly TrialRecord[]): string {
  const rows = trials
    .filter((t) => t.screened)
    .map(
      (t) =>
        `<tr><td>${t.number}</td><td>${escapeHtml(paramsText(t))}</td><td>${escapeHtml(t.screened?.kind ?? '')}</td><td>${escapeHtml(t.screened?.reason ?? '')}</td></tr>`,
    );
  if (rows.length === 0) return '';
  return `<h3>Screened before launch</h3><div class="table-wrap"><table class="screened"><thead><tr><th>#</th><th>parameters</th><th>kind</th><th>predicted failure</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function trialTable(trials: readonly TrialRecord[]): string {
  const rows = trials
    .filter((t) => t.state === 'complete' && t.predicted && t.metrics)
    .map((t) => {
      const cells = CALIBRATED_METRICS.map(({ key }) => {
        const pick = (m: TrialRecord['metrics']) =>
          key === 'outputTokensPerS'
            ? m?.outputTokensPerS
            : key === 'ttftP50Ms'
              ? m?.ttftMs.p50
              : m?.tpotMs.p50;
        const p = pick(t.predicted);
        const m = pick(t.metrics);
        const error = p !== undefined && m !== undefined && m > 0 ? ` (${signed((p - m) / m)})` : '';
        return `<td>${formatNumber(p)} / ${formatNumber(m)}${error}</td>`;
      });
      return `<tr><td>${t.number}</td><td>${escapeHtml(paramsText(t))}</td>${cells.join('')}</tr>`;
    });
  if (rows.length === 0) return '';
  const heads = CALIBRATED_METRICS.map((m) => `<th>${escapeHtml(m.label)}: predicted / measured</th>`).join(
    '',
  );
  return `<h3>Predicted vs measured, by trial</h3><div class="table-wrap"><table class="calibration"><thead><tr><th>#</th><th>parameters</th>${heads}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The section, or '' for a study that ran without the analytic model. */
export function calibrationSection(data: ReportData): string {
  const calibration = reportCalibration(data);
  if (!calibration) return '';
  const kinds = Object.entries(calibration.screenedByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const summary = CALIBRATED_METRICS.map(({ key }) => calibration.metrics.find((m) => m.key === key))
    .filter((m) => m !== undefined && m.pairs > 0)
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m?.label ?? '')}</td><td>${m?.pairs}</td><td>${m?.medianApe === undefined ? '–' : `${(m.medianApe * 100).toFixed(1)}%`}</td><td>${
          m?.rankCorrelation === undefined ? '–' : m.rankCorrelation.toFixed(2)
        }</td><td>${m?.ratio === undefined ? '–' : m.ratio.toFixed(2)}</td></tr>`,
    );
  const winner = calibration.winner;
  const winnerLine = winner
    ? `<p class="calibrated-winner">Winner #${winner.trial}: ${CALIBRATED_METRICS.filter(
        ({ key }) => winner.predicted[key] !== undefined,
      )
        .map(
          ({ key, label }) =>
            `${escapeHtml(label)} predicted ${formatNumber(winner.predicted[key])}, calibrated ${formatNumber(
              winner.calibrated[key],
            )}, measured ${formatNumber(winner.measured[key])}`,
        )
        .join('; ')}.</p>`
    : '';
  return [
    '<h2 id="calibration">Analytic model vs measurements</h2>',
    `<p class="note">The analytic model (memory plan, roofline, scheduler) of this engine, model and GPU predicted each configuration before it ran. ${
      calibration.screened > 0
        ? `${calibration.screened} configuration(s) it predicted could not start were not launched (${escapeHtml(kinds)}); they were never measured.`
        : 'No configuration was screened.'
    } Calibrated = predicted x the median measured/predicted ratio of this study.</p>`,
    summary.length > 0
      ? `<table class="calibration-summary"><thead><tr><th>metric</th><th>trials</th><th>median abs. error</th><th>rank correlation</th><th>measured / predicted</th></tr></thead><tbody>${summary.join('')}</tbody></table>`
      : '',
    winnerLine,
    trialTable(data.trials),
    screenedTable(data.trials),
  ].join('\n');
}

/** One Markdown line on the analytic model's accuracy in this study, or undefined without the model. */
export function calibrationLine(data: ReportData): string | undefined {
  const calibration = reportCalibration(data);
  const throughput = calibration?.metrics.find((m) => m.key === 'outputTokensPerS');
  if (!calibration || !throughput || throughput.pairs === 0 || throughput.medianApe === undefined)
    return undefined;
  const correlation =
    throughput.rankCorrelation === undefined
      ? ''
      : `, rank correlation ${throughput.rankCorrelation.toFixed(2)}`;
  const winner = calibration.winner;
  const calibrated = winner?.calibrated.outputTokensPerS;
  const winnerText =
    winner && calibrated !== undefined
      ? `; winner #${winner.trial}: calibrated prediction ${formatNumber(calibrated)} output tok/s, measured ${formatNumber(winner.measured.outputTokensPerS)}`
      : '';
  return `Analytic model: output tok/s off by a median ${(throughput.medianApe * 100).toFixed(1)}% over ${throughput.pairs} measured trial(s)${correlation}${winnerText}.`;
}
