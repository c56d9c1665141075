// HTML sections of the report other than charts: summary, winner, SLO margins, exports, confirmation, manifest.
import { stringify } from 'yaml';
import { redactValue } from '../util/redact.js';
import { defaultsSentence, sloMargins } from './comparison.js';
import { formatDuration, formatNumber, formatParam, formatPercent } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import type { ReportData } from './report-data.js';
import { studyCounts } from './study-counts.js';
import { originSentence } from './trial-view.js';

const EXPORT_TITLES: ReadonlyArray<[keyof NonNullable<ReportData['best']>['exports'], string]> = [
  ['argv', 'Command line'],
  ['dockerRun', 'docker run'],
  ['compose', 'Docker Compose'],
  ['kubernetes', 'Kubernetes'],
];

const card = (label: string, value: string): string =>
  `<div class="card"><span class="muted">${escapeHtml(label)}</span><b>${escapeHtml(value)}</b></div>`;

/** Title block, banner for unfinished studies and the headline cards. */
export function summarySection(data: ReportData): string {
  const counts = studyCounts(data.trials);
  const options = data.options;
  const what = [options['runtime'], options['model']].filter((v) => typeof v === 'string').join(' · ');
  const banner = data.finished
    ? ''
    : '<div class="banner">This journal has no final result (the study was interrupted or is still running): the winner, Pareto front and comparison below are computed from the trials journaled so far.</div>';
  const sentence = defaultsSentence(data);
  const failures = counts.reasons.map((r) => `${r.reason} ${r.count}`).join(', ');
  return [
    `<h1>Study ${escapeHtml(data.studyId)}</h1>`,
    `<p class="muted">${escapeHtml(what)} · created ${escapeHtml(data.createdAt)} · ${escapeHtml(`${data.library.name} ${data.library.version}`)} · seed ${data.seed}${data.stopReason ? ` · stopped: ${escapeHtml(data.stopReason)}` : ''}</p>`,
    banner,
    '<div class="cards">',
    card('objective', data.objectiveNames.join(' / ')),
    card(
      'best',
      data.best
        ? `${data.best.objective.map(formatNumber).join(' / ')} (trial ${data.best.trial})`
        : 'none feasible',
    ),
    card(
      'vs defaults',
      data.defaults?.improvement !== undefined ? formatPercent(data.defaults.improvement) : '-',
    ),
    card(
      'trials',
      `${counts.search} search${counts.baseline ? ` + ${counts.baseline} baseline` : ''} + ${counts.confirm} confirm`,
    ),
    card('feasible / missed SLO', `${counts.feasible} / ${counts.infeasible}`),
    card('failed', `${counts.failed + counts.pruned}`),
    ...(data.elapsedMs !== undefined ? [card('wall time', formatDuration(data.elapsedMs))] : []),
    '</div>',
    sentence ? `<p><b>${escapeHtml(sentence)}</b></p>` : '',
    failures ? `<p class="muted">Failures by reason: ${escapeHtml(failures)}</p>` : '',
  ].join('\n');
}

/** The winner's parameters, SLO margins and confirmation. */
export function winnerSection(data: ReportData): string {
  const best = data.best;
  if (!best) return '<h2 id="winner">Winner</h2><p>No trial was feasible: there is no winner.</p>';
  const params = Object.entries(best.params)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(formatParam(v))}</td></tr>`)
    .join('');
  const margins = sloMargins(best.record, data.slo)
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.label)}</td><td data-v="${m.observed ?? ''}">${escapeHtml(formatNumber(m.observed))}</td><td data-v="${m.limit}">${escapeHtml(formatNumber(m.limit))}</td><td class="${m.met ? 'ok' : 'bad'}">${escapeHtml(formatPercent(m.margin))} ${m.met ? 'headroom' : 'over'}</td></tr>`,
    )
    .join('');
  const confirmed =
    best.confirmedMean !== undefined ? `; confirmed mean ${formatNumber(best.confirmedMean)}` : '';
  const tied =
    best.tiedWith.length > 0 ? `; tied within noise with trial(s) ${best.tiedWith.join(', ')}` : '';
  const found = originSentence(best.record);
  return [
    '<h2 id="winner">Winner</h2>',
    `<p>Trial ${best.trial}: ${escapeHtml(data.objectiveNames.map((n, i) => `${n} = ${formatNumber(best.objective[i])}`).join(', '))}${escapeHtml(confirmed + tied)}.${found ? ` ${escapeHtml(found)}` : ''}</p>`,
    `<table class="params"><tbody>${params || '<tr><td>engine defaults (no parameters set)</td></tr>'}</tbody></table>`,
    margins
      ? `<h3>SLO margins</h3><table><thead><tr><th>bound</th><th>observed</th><th>limit</th><th>margin</th></tr></thead><tbody>${margins}</tbody></table>`
      : '',
    confirmationTable(data),
  ].join('\n');
}

function confirmationTable(data: ReportData): string {
  const configs = data.confirmation?.configs ?? [];
  if (configs.length === 0) return '';
  const rows = configs
    .map(
      (c) =>
        `<tr><td>${c.trial}</td><td data-v="${c.runs}">${c.runs}</td><td>${escapeHtml(formatPercent(c.feasibleShare).replace('+', ''))}</td><td data-v="${c.mean ?? ''}">${escapeHtml(formatNumber(c.mean))}</td><td data-v="${c.sd}">${escapeHtml(formatNumber(c.sd))}</td></tr>`,
    )
    .join('');
  return `<h3>Confirmation runs</h3><table><thead><tr><th>trial</th><th>runs</th><th>feasible</th><th>mean</th><th>sd</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The winner's ready-to-run exports, each with a copy button. */
export function exportsSection(data: ReportData): string {
  const exports = data.best?.exports ?? {};
  const blocks = EXPORT_TITLES.filter(([key]) => typeof exports[key] === 'string').map(
    ([key, title]) =>
      `<div class="export"><h3>${escapeHtml(title)} <button class="copy" type="button" data-copy="export-${key}">Copy</button></h3><pre id="export-${key}">${escapeHtml(String(exports[key]))}</pre></div>`,
  );
  if (blocks.length === 0) return '';
  const note = data.finished
    ? ''
    : '<p class="note">Only the command line is available for a study without a final result.</p>';
  return ['<h2 id="exports">Run the winner</h2>', note, ...blocks].join('\n');
}

/** The winner's reproducibility manifest and the study options. */
export function manifestSection(data: ReportData): string {
  const manifest = data.best?.record?.manifest;
  return [
    '<h2 id="manifest">Reproducibility</h2>',
    manifest
      ? `<h3>Manifest of trial ${data.best?.trial}</h3><pre>${escapeHtml(stringify(redactValue(manifest)))}</pre>`
      : '<p class="muted">The winning trial has no manifest.</p>',
    `<h3>Study options</h3><pre>${escapeHtml(stringify(redactValue(data.options)))}</pre>`,
  ].join('\n');
}
