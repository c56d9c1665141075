// Two studies side by side (e.g. before and after an engine upgrade): status, winner and its parameters, the
// comparison with the engine defaults, the Pareto front and which parameters mattered, read through the report's
// model of a study.

import { defaultsSentence } from '../report/comparison.js';
import { formatNumber, formatParam } from '../report/format-number.js';
import { escapeHtml } from '../report/html-escape.js';
import { paramImportance } from '../report/param-importance.js';
import { buildReportData, type ReportData } from '../report/report-data.js';
import type { JournalContents } from '../tune/journal/journal-types.js';

type Column = { id: string; data: ReportData };

function row(label: string, cells: string[]): string {
  return `<tr><th>${escapeHtml(label)}</th>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function winnerParams(columns: Column[]): string[] {
  const names = [...new Set(columns.flatMap((c) => Object.keys(c.data.best?.params ?? {})))].sort();
  return names.map((name) =>
    row(
      name,
      columns.map((c) => {
        const value = c.data.best?.params[name];
        const other = columns.find((o) => o !== c)?.data.best?.params[name];
        const text = escapeHtml(value === undefined ? '-' : formatParam(value));
        return formatParam(value) === formatParam(other) ? text : `<strong>${text}</strong>`;
      }),
    ),
  );
}

/** The comparison body (a table, one column per study); parameters whose winning values differ are bold. */
export function compareTable(
  journals: ReadonlyArray<{ id: string } & Pick<JournalContents, 'header' | 'entries'>>,
): string {
  const columns: Column[] = journals.map((j) => ({ id: j.id, data: buildReportData(j) }));
  const link = (c: Column) =>
    `<a href="/study?journal=${encodeURIComponent(c.id)}">${escapeHtml(c.data.studyId)}</a>`;
  const rows = [
    row('study', columns.map(link)),
    row(
      'status',
      columns.map((c) => escapeHtml(c.data.finished ? `finished: ${c.data.stopReason ?? ''}` : 'unfinished')),
    ),
    row(
      'trials',
      columns.map((c) => String(c.data.trials.length)),
    ),
    row(
      'winner',
      columns.map((c) =>
        c.data.best
          ? escapeHtml(
              `#${c.data.best.trial}: ${c.data.objectiveNames[0] ?? 'objective'} ${formatNumber(c.data.best.objective[0])}`,
            )
          : 'none',
      ),
    ),
    row(
      'vs engine defaults',
      columns.map((c) => escapeHtml(defaultsSentence(c.data) ?? '-')),
    ),
    row(
      'Pareto front',
      columns.map((c) => escapeHtml(c.data.pareto.map((n) => `#${n}`).join(' ') || '-')),
    ),
    row(
      'parameters that mattered',
      columns.map((c) =>
        escapeHtml(
          paramImportance(c.data.trials)
            .slice(0, 5)
            .map((p) => p.name)
            .join(', ') || '-',
        ),
      ),
    ),
    '<tr><th colspan="3">winning parameters</th></tr>',
    ...winnerParams(columns),
  ];
  return `<table id="comparison"><tbody>${rows.join('\n')}</tbody></table>`;
}
