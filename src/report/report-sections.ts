// HTML sections of the report other than charts: summary, winner, SLO margins, exports, confirmation, manifest.
import { Document, isScalar, stringify } from 'yaml';
import { redactValue } from '../util/redact.js';
import { comparisonView, sloMargins } from './comparison.js';
import { formatDuration, formatNumber, formatParam, formatPercent } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import type { ReportData } from './report-data.js';
import { studyCounts } from './study-counts.js';
import {
  isClientLimited,
  isPortForwarded,
  keepsDefaults,
  originSentence,
  portForwardText,
} from './trial-view.js';

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
  const view = comparisonView(data);
  const failures = counts.reasons.map((r) => `${r.reason} ${r.count}`).join(', ');
  return [
    `<h1>Study ${escapeHtml(data.studyId)}</h1>`,
    `<p class="muted">${escapeHtml(what)} · created ${escapeHtml(data.createdAt)} · ${escapeHtml(`${data.library.name} ${data.library.version}`)} · seed ${data.seed}${data.stopReason ? ` · stopped: ${escapeHtml(data.stopReason)}` : ''}</p>`,
    banner,
    '<div class="cards">',
    card('objective', data.objectiveNames.join(' / ')),
    card(
      keepsDefaults(data) ? 'recommended: engine defaults' : 'best',
      data.best
        ? `${data.best.objective.map(formatNumber).join(' / ')} (trial ${data.best.trial})`
        : 'none feasible',
    ),
    card('vs defaults', view.card),
    card(
      'trials',
      `${counts.search} search${counts.baseline ? ` + ${counts.baseline} baseline` : ''} + ${counts.confirm} confirm`,
    ),
    card('feasible / missed SLO', `${counts.feasible} / ${counts.infeasible}`),
    card('failed', `${counts.failed + counts.pruned}`),
    ...(counts.screened > 0 ? [card('screened', `${counts.screened}`)] : []),
    ...(counts.noCapacity > 0 ? [card('not launched: too wide', `${counts.noCapacity}`)] : []),
    ...(data.wallTime
      ? [
          card(
            data.wallTime.label,
            `${formatDuration(data.wallTime.ms)}${data.wallTime.note ? ` (${data.wallTime.note})` : ''}`,
          ),
        ]
      : []),
    '</div>',
    view.headline ? `<p class="verdict"><b>${escapeHtml(view.headline)}</b></p>` : '',
    view.details ? `<p>${escapeHtml(view.details)}</p>` : '',
    ...(data.best?.caveats ?? []).map(
      (c) => `<div class="banner caveat"><b>Caveat:</b> ${escapeHtml(c)}</div>`,
    ),
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
  const keep = keepsDefaults(data);
  const found = keep ? undefined : originSentence(best.record);
  const values = data.objectiveNames.map((n, i) => `${n} = ${formatNumber(best.objective[i])}`).join(', ');
  return [
    keep ? '<h2 id="winner">Recommendation: keep the engine defaults</h2>' : '<h2 id="winner">Winner</h2>',
    `<p>${keep ? 'The engine defaults, trial' : 'Trial'} ${best.trial}: ${escapeHtml(values)}${escapeHtml(confirmed + tied)}.${found ? ` ${escapeHtml(found)}` : ''}</p>`,
    `<table class="params"><tbody>${params || '<tr><td>engine defaults (no parameters set)</td></tr>'}</tbody></table>`,
    margins
      ? `<h3>SLO margins</h3><table><thead><tr><th>bound</th><th>observed</th><th>limit</th><th>margin</th></tr></thead><tbody>${margins}</tbody></table>`
      : '',
    defaultsTable(data),
    confirmationTable(data),
  ].join('\n');
}

// The runs each side of the comparison with the defaults rests on.
function defaultsTable(data: ReportData): string {
  const d = data.defaults;
  if (!d?.defaultsRuns) return '';
  const row = (label: string, runs: NonNullable<typeof d.tunedRuns>) =>
    `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(runs.trials.map((t) => `#${t}`).join(', '))}</td><td data-v="${runs.trials.length}">${runs.trials.length}</td><td data-v="${runs.mean ?? ''}">${escapeHtml(formatNumber(runs.mean))}</td><td data-v="${runs.sd ?? ''}">${escapeHtml(formatNumber(runs.sd))}</td></tr>`;
  const rows = [
    ...(d.tunedRuns ? [row(`best tuned (trial ${d.tunedTrial})`, d.tunedRuns)] : []),
    row(`engine defaults (trial ${d.defaultsTrial})`, d.defaultsRuns),
  ].join('');
  const interval = d.interval
    ? `${Math.round(d.interval.confidence * 100)}% interval of the gain: ${formatPercent(d.interval.low)} to ${formatPercent(d.interval.high)} (Welch).`
    : 'No interval: the comparison rests on fewer than two confirmation runs a side.';
  return `<h3>Against the engine defaults</h3><p class="note">${escapeHtml(interval)}</p><table><thead><tr><th>configuration</th><th>runs</th><th>count</th><th>mean ${escapeHtml(data.objectiveNames[0] ?? 'objective')}</th><th>sd</th></tr></thead><tbody>${rows}</tbody></table>`;
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
  const title = keepsDefaults(data) ? 'Run the engine defaults' : 'Run the winner';
  return [`<h2 id="exports">${title}</h2>`, note, ...blocks].join('\n');
}

// "1 GPU: 12 trials, 2 GPUs: 3 trials" over the trials that were launched.
function gpusUsed(data: ReportData): string | undefined {
  const launched = data.trials.filter((t) => t.state !== 'invalid');
  if (launched.length === 0) return undefined;
  const bySize = new Map<number, number>();
  for (const t of launched) bySize.set(t.worldSize, (bySize.get(t.worldSize) ?? 0) + 1);
  return [...bySize.entries()]
    .sort(([a], [b]) => a - b)
    .map(([size, n]) => `${size} GPU${size === 1 ? '' : 's'}: ${n} trial${n === 1 ? '' : 's'}`)
    .join(', ');
}

// What the launched trials actually ran, from their records and manifests (the options hold defaults too).
function usedTable(data: ReportData): string {
  const distinct = (values: Array<string | undefined>) =>
    [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))].join(', ');
  const manifests = data.trials.map((t) => t.manifest).filter((m) => m !== undefined);
  const rows: Array<[string, string | undefined]> = [
    ['GPUs per trial', gpusUsed(data)],
    ['runtime', distinct(manifests.map((m) => m.runtime))],
    ['engine version', distinct(manifests.map((m) => m.engineVersion))],
    ['image', distinct(manifests.map((m) => m.image))],
    ['controller', distinct(manifests.map((m) => m.controller))],
    [
      'runs paced by the benchmark client',
      `${data.trials.filter(isClientLimited).length} of ${data.trials.length}`,
    ],
    ['reached through', distinct(data.trials.map((t) => t.via))],
  ];
  const forwarded = data.trials.filter(isPortForwarded).length;
  if (forwarded > 0) rows.push(['port-forward', portForwardText(forwarded, data.trials.length)]);
  const body = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  return `<h3>What the trials used</h3><table class="params"><tbody>${body}</tbody></table>`;
}

// The options as YAML; a simulated study's virtual GPU count says what the trials took of it.
function optionsYaml(data: ReportData): string {
  const doc = new Document(redactValue(data.options));
  const numGpus = doc.getIn(['sim', 'numGpus'], true);
  const used = gpusUsed(data);
  if (isScalar(numGpus) && used)
    numGpus.comment = ` GPUs of the simulated host (virtual), not per trial; trials used ${used}`;
  return doc.toString();
}

/** The winner's reproducibility manifest, what the trials used, and the study options. */
export function manifestSection(data: ReportData): string {
  const manifest = data.best?.record?.manifest;
  return [
    '<h2 id="manifest">Reproducibility</h2>',
    manifest
      ? `<h3>Manifest of trial ${data.best?.trial}</h3><pre>${escapeHtml(stringify(redactValue(manifest)))}</pre>`
      : '<p class="muted">The recommended trial has no manifest.</p>',
    usedTable(data),
    `<h3>Study options</h3><p class="note">As journaled: what was given, with every default filled in (a default is not necessarily what a trial used; see above).</p><pre>${escapeHtml(optionsYaml(data))}</pre>`,
  ].join('\n');
}
