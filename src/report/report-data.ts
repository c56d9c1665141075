// Everything the report shows, read from a journal: trials, winner, Pareto front, confirmation, defaults.

import type { ConfigExports } from '../deploy/exports.js';
import { shellJoin } from '../deploy/shell-quote.js';
import type { Params } from '../search/trial.js';
import { paretoFront } from '../slo/compare-trials.js';
import { type Objective, objectiveDirection, objectiveLabel, objectiveList } from '../slo/objective.js';
import type { SloSpec } from '../slo/types.js';
import { type Confirmation, summarizeConfirmation } from '../tune/confirm.js';
import { journalResult, journalTrials } from '../tune/journal/journal-trials.js';
import type {
  JournalContents,
  JournaledDefaultsComparison,
  ResultEntry,
} from '../tune/journal/journal-types.js';
import { recommend } from '../tune/recommend.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { trialsWallMs } from '../tune/trial-span.js';
import { redactValue, SECRET_KEY_PATTERN } from '../util/redact.js';
import { formatDuration } from './format-number.js';

/** Objective direction as the user reads it. */
export type Direction = 'minimize' | 'maximize';

/** The winning configuration as the report shows it. */
export interface ReportBest {
  trial: number;
  params: Params;
  objective: number[];
  confirmedMean: number | undefined;
  tiedWith: number[];
  record: TrialRecord | undefined;
  /** The exports the study wrote; only `argv` (from the manifest) for a study that did not finish. */
  exports: Partial<ConfigExports>;
  /** What to know before trusting it (client-bound runs, single runs); empty in journals that predate them. */
  caveats: string[];
}

/** How long the study took, and what the figure covers. */
export interface WallTime {
  ms: number;
  /** What `ms` covers, e.g. `wall time`, `wall time (all runs)`, `trials so far`. */
  label: string;
  /** A note for a resumed study, e.g. `last run 8 ms`. */
  note?: string | undefined;
}

/** The report's model of one study. */
export interface ReportData {
  studyId: string;
  createdAt: string;
  library: { name: string; version: string };
  seed: number;
  /** The study options as journaled (redacted). */
  options: Record<string, unknown>;
  objectiveNames: string[];
  directions: Direction[];
  slo: SloSpec | undefined;
  /** Every trial, in number order. */
  trials: TrialRecord[];
  /** True when the journal ends with the study's result (false for an interrupted study). */
  finished: boolean;
  stopReason: string | undefined;
  best: ReportBest | undefined;
  /** Trial numbers of the Pareto front (feasible, non-dominated search trials). */
  pareto: number[];
  /** Present when confirmation runs were journaled. */
  confirmation: Confirmation | undefined;
  /** The comparison with the engine defaults (journals written before verdicts hold only its first fields). */
  defaults: JournaledDefaultsComparison | undefined;
  /** Wall time of the run that finished the study (undefined for an unfinished one). */
  elapsedMs: number | undefined;
  /** How long the study took across its runs, labelled with what the figure covers. */
  wallTime: WallTime | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function objectivesOf(options: Record<string, unknown>): readonly Objective[] {
  const spec = options['objective'] ?? 'maximize_throughput';
  try {
    return objectiveList(spec as Objective);
  } catch {
    return ['maximize_throughput'];
  }
}

/** Relative change of `best` over `base` in the user's direction (0.35 = 35 % better). */
export function improvementOver(best: number | undefined, base: number | undefined, direction: Direction) {
  if (best === undefined || base === undefined || !Number.isFinite(best) || !Number.isFinite(base))
    return undefined;
  if (base === 0) return undefined;
  const change = (best - base) / Math.abs(base);
  return direction === 'maximize' ? change : -change;
}

// The command line of a trial from its manifest (a study that did not finish has no stored exports).
function argvFromManifest(record: TrialRecord | undefined): Partial<ConfigExports> {
  const manifest = record?.manifest;
  if (!manifest) return {};
  const entries = Object.entries(manifest.env ?? {})
    .filter(([k]) => k !== 'CUDA_VISIBLE_DEVICES')
    .sort(([a], [b]) => a.localeCompare(b));
  // Secrets are referenced by variable name, as in the study's own exports.
  const env = entries.map(([k, v]) =>
    SECRET_KEY_PATTERN.test(k) ? `${k}="$${k}"` : shellJoin([`${k}=${v}`]),
  );
  return { argv: [...env, shellJoin([manifest.command, ...manifest.argv])].join(' ') };
}

function bestFromResult(result: ResultEntry): ReportBest | undefined {
  const best = result.best;
  if (!best) return undefined;
  return {
    trial: best.trial,
    params: best.params,
    objective: best.objective,
    confirmedMean: best.confirmedMean,
    tiedWith: best.tiedWith,
    record: best.record,
    exports: best.exports,
    caveats: best.caveats ?? [],
  };
}

// Without a result entry: the recommendation the study would make from the trials journaled so far.
function computed(
  trials: readonly TrialRecord[],
  confirmation: Confirmation | undefined,
  direction: Direction,
  objectiveName: string,
): { best: ReportBest | undefined; defaults: JournaledDefaultsComparison | undefined } {
  const chosen = recommend(trials, confirmation, direction, objectiveName);
  const record = chosen.record;
  const winner = confirmation?.winner === record?.number;
  const best = record && {
    trial: record.number,
    params: record.params,
    objective: record.objective ?? [],
    confirmedMean: chosen.confirmedMean,
    tiedWith: winner ? (confirmation?.tiedWith ?? []) : [],
    record,
    exports: argvFromManifest(record),
    caveats: chosen.caveats,
  };
  return { best, defaults: chosen.comparison };
}

function wallTimeOf(result: ResultEntry | undefined, trials: readonly TrialRecord[]): WallTime | undefined {
  const span = trialsWallMs(trials);
  if (!result) return trials.length > 0 ? { ms: span, label: 'trials so far' } : undefined;
  const last = result.elapsedMs;
  const total = result.totalElapsedMs;
  if (total !== undefined) {
    return total > last
      ? { ms: total, label: 'wall time (all runs)', note: `last run ${formatDuration(last)}` }
      : { ms: total, label: 'wall time' };
  }
  // A journal from before the total was recorded: trials outlasting the last run mean it was resumed.
  return span > last
    ? { ms: span, label: 'trial time (all runs)', note: `last run ${formatDuration(last)}` }
    : { ms: last, label: 'wall time' };
}

/** Builds the report model from a journal; a journal without a result entry gets what can be computed. */
export function buildReportData(journal: Pick<JournalContents, 'header' | 'entries'>): ReportData {
  const header = redactValue(journal.header);
  const entries = redactValue(journal.entries);
  const options = isObject(header.options) ? header.options : {};
  const trials = journalTrials(entries).sort((a, b) => a.number - b.number);
  const result = journalResult(entries);
  const objectives = objectivesOf(options);
  const directions: Direction[] = result?.directions ?? objectives.map(objectiveDirection);
  const confirmTop = isObject(options['confirm']) ? Number(options['confirm']['top'] ?? 2) : 2;
  const hasConfirmRuns = trials.some((t) => t.phase === 'confirm');
  const confirmation = result?.confirmation
    ? result.confirmation
    : hasConfirmRuns
      ? summarizeConfirmation(trials, Math.max(1, confirmTop))
      : undefined;
  const objectiveNames = result?.objectiveNames ?? objectives.map(objectiveLabel);
  const { best, defaults } = result
    ? { best: bestFromResult(result), defaults: result.defaults }
    : computed(trials, confirmation, directions[0] ?? 'maximize', objectiveNames[0] ?? 'objective');
  const search = trials.filter((t) => t.phase === 'search');
  const pareto = result ? result.pareto : paretoFront(search).map((t) => t.number);
  return {
    studyId: String(header.studyId),
    createdAt: String(header.createdAt),
    library: header.library,
    seed: header.seed,
    options,
    objectiveNames,
    directions,
    slo: isObject(options['slo']) ? (options['slo'] as unknown as SloSpec) : undefined,
    trials,
    finished: result !== undefined,
    stopReason: result?.stopReason,
    best,
    pareto,
    confirmation,
    defaults,
    elapsedMs: result?.elapsedMs,
    wallTime: wallTimeOf(result, trials),
  };
}

/** The report model of a journal (or the model itself, when given one). */
export function toReportData(journal: Pick<JournalContents, 'header' | 'entries'> | ReportData): ReportData {
  return 'objectiveNames' in journal && 'trials' in journal ? journal : buildReportData(journal);
}
