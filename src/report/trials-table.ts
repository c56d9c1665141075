// The table of every trial (sortable in the page by a small inline script).

import { formatDuration, formatNumber, formatParam } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import { paramNames } from './param-importance.js';
import type { ReportData } from './report-data.js';
import { latencyOf, tradeoffAxis } from './tradeoff-chart.js';
import { outcomeText, trialOutcome } from './trial-view.js';

const MAX_PARAM_COLUMNS = 12;

function numberCell(value: number | undefined, text = formatNumber(value)): string {
  const sortable = value === undefined || !Number.isFinite(value) ? '' : String(value);
  return `<td data-v="${sortable}">${escapeHtml(text)}</td>`;
}

const textCell = (text: string): string => `<td>${escapeHtml(text)}</td>`;

const ORIGIN_LABELS: Record<string, string> = {
  defaults: 'engine defaults',
  initial: 'given',
  repair: 'SLO repair',
  design: 'space-filling',
  model: 'model',
  grid: 'grid',
  random: 'random',
};

// A repair is labelled by the step its note names (out-of-memory repair and the safety step are repairs too).
const REPAIR_STEPS = ['SLO repair', 'memory repair', 'safety step'];

function originLabel(origin: { kind: string; note?: string | undefined }): string {
  if (origin.kind === 'repair' && origin.note !== undefined)
    // Another repair (a first batch's memory hedge of the defaults) is a repair, its note says which.
    return REPAIR_STEPS.find((s) => origin.note?.startsWith(`${s} of `)) ?? 'repair';
  return ORIGIN_LABELS[origin.kind] ?? origin.kind;
}

// Phase, and for search trials why the strategy suggested them (the full reason as a tooltip).
function phaseCell(t: ReportData['trials'][number]): string {
  if (t.phase === 'confirm') return textCell(`confirm #${t.confirmOf}`);
  if (!t.origin) return textCell(t.phase);
  const label = `${t.phase}: ${originLabel(t.origin)}`;
  return t.origin.note
    ? `<td title="${escapeHtml(t.origin.note)}">${escapeHtml(label)}</td>`
    : textCell(label);
}

// The outcome, marked `client-bound` (reasons as a tooltip) when the benchmark client set the pace.
function outcomeCell(t: ReportData['trials'][number], data: ReportData): string {
  const text = outcomeText(t, data.slo);
  const reasons = t.clientLimited ?? [];
  if (reasons.length === 0) return textCell(text);
  return `<td title="${escapeHtml(`paced by the benchmark client: ${reasons.join('; ')}`)}">${escapeHtml(`${text}, client-bound`)}</td>`;
}

/** Renders the trials table. */
export function trialsTable(data: ReportData): string {
  const { metric, stat } = tradeoffAxis(data);
  const params = paramNames(data.trials);
  const diagnosed = data.trials.some((t) => (t.diagnosis?.length ?? 0) > 0);
  const columns = params.slice(0, MAX_PARAM_COLUMNS);
  const rest = params.slice(MAX_PARAM_COLUMNS);
  const heads = [
    '#',
    'phase',
    'outcome',
    ...data.objectiveNames,
    'output tok/s',
    `${stat} ${metric} ms`,
    'goodput req/s',
    'penalty',
    'GPUs',
    'duration',
    ...(diagnosed ? ['diagnosis'] : []),
    ...columns,
    ...(rest.length > 0 ? ['other parameters'] : []),
  ];
  const rows = data.trials.map((t) => {
    const outcome = trialOutcome(t);
    const role =
      t.number === data.best?.trial
        ? ' winner-row'
        : t.number === data.defaults?.defaultsTrial
          ? ' defaults-row'
          : '';
    const cells = [
      numberCell(t.number, String(t.number)),
      phaseCell(t),
      outcomeCell(t, data),
      ...data.objectiveNames.map((_, i) => numberCell(t.objective?.[i])),
      numberCell(t.metrics?.outputTokensPerS),
      numberCell(latencyOf(t.metrics, metric, stat)),
      numberCell(t.metrics?.goodputRps),
      numberCell(t.penalty),
      numberCell(t.worldSize, String(t.worldSize ?? '')),
      numberCell(t.durationMs, formatDuration(t.durationMs)),
      ...(diagnosed ? [textCell((t.diagnosis ?? []).join('; '))] : []),
      ...columns.map((name) => {
        const v = t.params[name];
        return typeof v === 'number' ? numberCell(v, String(v)) : textCell(formatParam(v));
      }),
      ...(rest.length > 0
        ? [
            textCell(
              rest
                .filter((n) => t.params[n] !== undefined)
                .map((n) => `${n}=${formatParam(t.params[n])}`)
                .join(' '),
            ),
          ]
        : []),
    ];
    return `<tr class="${outcome}${role}" data-trial="${t.number}">${cells.join('')}</tr>`;
  });
  return [
    '<table class="trials sortable" id="trials-table">',
    `<thead><tr>${heads.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}
