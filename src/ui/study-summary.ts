// One line of the study list: status, progress and best so far, from a journal's header and entries.
import type { ChartSpec } from '../report/chart-spec.js';
import { progressChart } from '../report/progress-chart.js';
import { buildReportData, type ReportData } from '../report/report-data.js';
import { tradeoffChart } from '../report/tradeoff-chart.js';
import type { JournalEntry, JournalHeader } from '../tune/journal/journal-types.js';
import { isNotLaunched, type TrialRecord } from '../tune/trial-record.js';
import { redactValue } from '../util/redact.js';

/** A study as the list shows it. */
export interface StudySummary {
  /** The journal's path relative to the studies folder. */
  id: string;
  studyId: string;
  createdAt: string;
  /** `finished` once the journal holds its result; otherwise `unfinished` (running, stopped or killed). */
  status: 'finished' | 'unfinished';
  stopReason: string | undefined;
  trials: number;
  /** Search trials that used the budget (a configuration refused before launch did not). */
  searchTrials: number;
  maxTrials: number;
  failed: number;
  objectiveName: string;
  /** The recommendation of a finished study, the best feasible search trial of one still going. */
  best: { trial: number; objective: number | undefined; params: Record<string, unknown> } | undefined;
  /** ISO time of the journal's last write. */
  updatedAt: string;
}

/** The report's model of a journal (what the summary and the charts read). */
export function studyData(journal: { header: JournalHeader; entries: readonly JournalEntry[] }): ReportData {
  return buildReportData({ header: journal.header, entries: [...journal.entries] });
}

/** Summarises a journal (from its report model when the caller has it already). */
export function summarizeStudy(
  id: string,
  journal: { header: JournalHeader; entries: readonly JournalEntry[] },
  mtimeMs: number,
  data: ReportData = studyData(journal),
): StudySummary {
  const result = journal.entries.find((e) => e.type === 'result');
  const budget = (journal.header.options as { budget?: { maxTrials?: number } }).budget;
  const best = data.best;
  return redactValue({
    id,
    studyId: data.studyId,
    createdAt: data.createdAt,
    status: result ? 'finished' : 'unfinished',
    stopReason: result?.type === 'result' ? result.stopReason : undefined,
    trials: data.trials.length,
    searchTrials: data.trials.filter((t) => t.phase === 'search' && !isNotLaunched(t)).length,
    maxTrials: budget?.maxTrials ?? 0,
    failed: data.trials.filter((t) => t.state === 'failed').length,
    objectiveName: data.objectiveNames[0] ?? 'objective',
    best: best ? { trial: best.trial, objective: best.objective[0], params: best.params } : undefined,
    updatedAt: new Date(mtimeMs).toISOString(),
  });
}

/** A trial as the live page shows it: no manifest (argv and environment stay in the journal and the report). */
export function trialView(trial: TrialRecord): Omit<TrialRecord, 'manifest'> {
  const { manifest: _manifest, ...rest } = trial;
  return redactValue(rest);
}

/** Points a live chart draws per series (as the report: best, front and key trials always kept). */
const LIVE_MAX_POINTS = 400;

/** The report's best-so-far and trade-off charts of the study as it stands, as the chart script draws them. */
export function studyCharts(data: ReportData): ChartSpec[] {
  return [progressChart(data, LIVE_MAX_POINTS), tradeoffChart(data, LIVE_MAX_POINTS)];
}
