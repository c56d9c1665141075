// What the engine and GPUs did during the winner's, the defaults' and any clicked trial's benchmark, beside
// their latency figures.
import type { CounterSummary, GaugeSummary } from '../benchmark/series-summary.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { formatNumber } from './format-number.js';
import { escapeHtml } from './html-escape.js';
import type { ReportData } from './report-data.js';

const cell = (text: string): string => `<td>${escapeHtml(text)}</td>`;

function gaugeText(g: GaugeSummary | undefined, scale = 1, unit = ''): string {
  if (!g) return '-';
  return `${formatNumber(g.mean * scale)}${unit} / ${formatNumber(g.max * scale)}${unit}`;
}

function kvText(g: GaugeSummary | undefined, from: string | undefined): string {
  if (!g) return '-';
  const share = g.saturatedShare === undefined ? '' : `, >= 95% for ${Math.round(g.saturatedShare * 100)}%`;
  return `${gaugeText(g, 100, '%')}${share}${from === undefined ? '' : ` (from ${from})`}`;
}

const rate = (c: CounterSummary | undefined): string => (c ? formatNumber(c.perS) : '-');

function figure(f: { mean: number; max: number } | undefined, unit: string): string {
  return f ? `${formatNumber(f.mean)} / ${formatNumber(f.max)} ${unit}` : '-';
}

function row(t: TrialRecord, role: string | undefined): string {
  const series = t.telemetry?.engine?.series ?? {};
  const gauge = (key: string) => series[key] as GaugeSummary | undefined;
  const counter = (key: string) => series[key] as CounterSummary | undefined;
  const gpu = t.telemetry?.gpu;
  const hit = t.telemetry?.engine?.prefixCacheHitRate;
  const notes = [...(t.diagnosis ?? []), ...(t.telemetry?.problems ?? [])].join('; ');
  const cells = [
    cell(`${t.number}${role ? ` (${role})` : ''}`),
    cell(formatNumber(t.metrics?.ttftMs.p90)),
    cell(formatNumber(t.metrics?.tpotMs.p90)),
    cell(formatNumber(t.metrics?.outputTokensPerS)),
    cell(gaugeText(gauge('running'))),
    cell(gaugeText(gauge('waiting'))),
    cell(kvText(gauge('kvCacheUsage'), t.telemetry?.engine?.kvCacheUsageFrom)),
    cell(counter('preemptions') ? formatNumber(counter('preemptions')?.delta) : '-'),
    cell(hit === undefined ? '-' : `${formatNumber(hit * 100)}%`),
    cell(rate(counter('promptTokens'))),
    cell(rate(counter('generationTokens'))),
    cell(figure(gpu?.utilizationPct, '%')),
    cell(figure(gpu?.memoryUsedMiB, 'MiB')),
    cell(figure(gpu?.powerW, 'W')),
    cell(t.manifest?.engineVersion ?? '-'),
    cell(notes || '-'),
  ];
  const cls = role === 'winner' ? ' class="winner-row"' : role === 'defaults' ? ' class="defaults-row"' : '';
  return `<tr data-trial="${t.number}"${cls}${role ? '' : ' hidden'}>${cells.join('')}</tr>`;
}

const HEADS = [
  'trial',
  'p90 TTFT ms',
  'p90 TPOT ms',
  'output tok/s',
  'running mean / max',
  'waiting mean / max',
  'KV cache mean / max',
  'preemptions',
  'prefix-cache hits',
  'prompt tok/s',
  'generated tok/s',
  'GPU util mean / max',
  'GPU memory mean / max',
  'GPU power mean / max',
  'engine version',
  'diagnosis',
];

/** The telemetry table: the winner and the defaults shown, every other trial's row shown once it is clicked. */
export function telemetrySection(data: ReportData): string {
  const sampled = data.trials.filter((t) => t.telemetry !== undefined || t.diagnosis !== undefined);
  if (sampled.length === 0) return '';
  const roleOf = (t: TrialRecord): string | undefined =>
    t.number === data.best?.trial
      ? 'winner'
      : t.number === data.defaults?.defaultsTrial
        ? 'defaults'
        : undefined;
  return [
    '<h2 id="telemetry">What the engine did</h2>',
    '<p class="note">Sampled from the engine\'s /metrics (KV usage derived from the engine\'s slot list where its build exports no KV gauge, marked "from /slots"; nvidia-smi on NVIDIA hosts) during the measured window of each trial\'s representative level: gauges as time-weighted mean / max, counters as rates. The winner and the engine defaults are shown; click a row of the trials table to add that trial.</p>',
    '<div class="table-wrap"><table class="telemetry" id="telemetry-table">',
    `<thead><tr>${HEADS.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${sampled.map((t) => row(t, roleOf(t))).join('\n')}\n</tbody>`,
    '</table></div>',
  ].join('\n');
}
