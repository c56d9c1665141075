// The study summary as Markdown: readable in a terminal, pasteable into a pull request.

import { rankTrials } from '../slo/compare-trials.js';
import type { JournalContents } from '../tune/journal/journal-types.js';
import { redactText } from '../util/redact.js';
import { calibrationLine } from './calibration-section.js';
import { defaultsSentence, sloMargins } from './comparison.js';
import { formatNumber, formatParam, formatPercent } from './format-number.js';
import { type ReportData, toReportData } from './report-data.js';
import { studyCounts } from './study-counts.js';
import { latencyOf, tradeoffAxis } from './tradeoff-chart.js';
import {
  isClientLimited,
  isPortForwarded,
  keepsDefaults,
  originSentence,
  outcomeText,
  portForwardText,
} from './trial-view.js';

/** Options of renderMarkdownSummary. */
export interface MarkdownSummaryOptions {
  /** Trials listed in the "top trials" table. @default 5 */
  top?: number;
  /** Include the winner's command line. @default true */
  includeCommand?: boolean;
}

// Table cells: pipes and line breaks would break the row.
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(heads: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  // Columns padded to one width, so the table also reads well as plain text in a terminal.
  const all = [heads, ...rows].map((r) => r.map(cell));
  const widths = heads.map((_, i) => Math.max(3, ...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${widths.map((w, i) => (r[i] ?? '').padEnd(w)).join(' | ')} |`;
  const [head, ...body] = all;
  return [line(head ?? []), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)];
}

// A fence longer than any backtick run inside the code.
function fenced(code: string, lang: string): string[] {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, code.trimEnd(), fence];
}

function paramsText(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  return entries.length === 0
    ? '(engine defaults)'
    : entries.map(([k, v]) => `${k}=${formatParam(v)}`).join(' ');
}

/** Renders the Markdown summary of a study. */
export function renderMarkdownSummary(
  journal: Pick<JournalContents, 'header' | 'entries'> | ReportData,
  options: MarkdownSummaryOptions = {},
): string {
  const data = toReportData(journal);
  const counts = studyCounts(data.trials);
  const what = [data.options['runtime'], data.options['model']].filter((v) => typeof v === 'string');
  const lines: string[] = [`## Study ${data.studyId}: ${data.objectiveNames.join(' / ')}`, ''];
  const facts = [
    ...what,
    `${counts.search} search trials${counts.baseline ? ` + ${counts.baseline} baseline` : ''} + ${counts.confirm} confirmation runs`,
    ...(data.stopReason ? [`stopped: ${data.stopReason}`] : []),
  ];
  lines.push(facts.join(' · '), '');
  if (!data.finished) {
    lines.push(
      '> The journal has no final result (interrupted study): figures are computed from the trials so far.',
      '',
    );
  }
  const best = data.best;
  if (!best) {
    lines.push('**No feasible configuration was found.**', '');
  } else {
    const values = data.objectiveNames.map((n, i) => `${n} = ${formatNumber(best.objective[i])}`).join(', ');
    const confirmed =
      best.confirmedMean !== undefined ? `; confirmed mean ${formatNumber(best.confirmedMean)}` : '';
    const tied =
      best.tiedWith.length > 0
        ? `; tied within noise with ${best.tiedWith.map((t) => `#${t}`).join(', ')}`
        : '';
    const keep = keepsDefaults(data);
    lines.push(
      keep
        ? `**Recommendation: keep the engine defaults** (trial ${best.trial}), ${values}${confirmed}`
        : `**Winner: trial ${best.trial}**, ${values}${confirmed}${tied}`,
      '',
    );
    const found = keep ? undefined : originSentence(best.record);
    if (found) lines.push(found, '');
    const sentence = defaultsSentence(data);
    if (sentence) lines.push(sentence, '');
    for (const caveat of best.caveats) lines.push(`> **Caveat:** ${caveat}`, '');
    const params = Object.entries(best.params);
    if (params.length > 0) {
      lines.push(
        ...table(
          ['parameter', 'value'],
          params.map(([k, v]) => [k, formatParam(v)]),
        ),
        '',
      );
    }
    const margins = sloMargins(best.record, data.slo);
    if (margins.length > 0) {
      lines.push(
        ...table(
          ['SLO bound', 'observed', 'margin'],
          margins.map((m) => [
            m.label,
            formatNumber(m.observed),
            `${formatPercent(m.margin)} ${m.met ? 'headroom' : 'over'}`,
          ]),
        ),
        '',
      );
    }
  }
  const failures = counts.reasons.map((r) => `${r.reason} ${r.count}`).join(', ');
  const clientBound = data.trials.filter(isClientLimited).length;
  const forwarded = data.trials.filter(isPortForwarded).length;
  lines.push(
    `Outcomes: ${counts.feasible} feasible, ${counts.infeasible} missed the SLO, ${counts.failed + counts.pruned} failed${failures ? ` (${failures})` : ''}${counts.screened > 0 ? `, ${counts.screened} screened before launch (predicted not to start)` : ''}${counts.knownFailures > 0 ? `, ${counts.knownFailures} not launched again (failed to start in an earlier study)` : ''}${counts.noCapacity > 0 ? `, ${counts.noCapacity} not launched (wider than the study's GPUs)` : ''}.${clientBound > 0 ? ` ${clientBound} of ${data.trials.length} runs were paced by the benchmark client, not the server (client-bound): their figures may understate the server.` : ''}${forwarded > 0 ? ` ${portForwardText(forwarded, data.trials.length)}` : ''}`,
    '',
  );
  const calibration = calibrationLine(data);
  if (calibration) lines.push(calibration, '');
  const { metric, stat } = tradeoffAxis(data);
  const top = rankTrials(data.trials.filter((t) => t.phase === 'search')).slice(0, options.top ?? 5);
  if (top.length > 0) {
    lines.push(
      ...table(
        [
          '#',
          data.objectiveNames[0] ?? 'objective',
          'output tok/s',
          `${stat} ${metric} ms`,
          'outcome',
          'parameters',
        ],
        top.map((t) => [
          String(t.number),
          formatNumber(t.objective?.[0]),
          formatNumber(t.metrics?.outputTokensPerS),
          formatNumber(latencyOf(t.metrics, metric, stat)),
          `${outcomeText(t, data.slo)}${isClientLimited(t) ? ', client-bound' : ''}${t.number === best?.trial ? ', winner' : ''}`,
          paramsText(t.params),
        ]),
      ),
      '',
    );
  }
  const argv = best?.exports.argv;
  if ((options.includeCommand ?? true) && argv)
    lines.push(
      keepsDefaults(data) ? 'Run the engine defaults:' : 'Run the winner:',
      '',
      ...fenced(argv, 'sh'),
      '',
    );
  return redactText(`${lines.join('\n').trimEnd()}\n`);
}
