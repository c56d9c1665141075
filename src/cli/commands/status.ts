// `autotune status <journal>`: what a journal holds (also for a study still running or killed).
import { compareTrials } from '../../slo/compare-trials.js';
import { journalResult, journalTrials } from '../../tune/journal/journal-trials.js';
import { readJournal } from '../../tune/journal/read-journal.js';
import type { TrialRecord } from '../../tune/trial-record.js';
import { EXIT } from '../exit-codes.js';

/** Summary of a journal. */
export interface JournalStatus {
  studyId: string;
  createdAt: string;
  trials: number;
  byState: Record<string, number>;
  byPhase: Record<string, number>;
  finished: boolean;
  stopReason: string | undefined;
  /** A finished study: its recommendation; otherwise the best feasible search trial so far. */
  best: { trial: number; params: Record<string, unknown>; objective: number[] | undefined } | undefined;
  /** A finished study keeps the engine defaults (nothing beat them beyond noise). */
  keepDefaults: boolean;
  /** A finished study's comparison with the engine defaults, in one sentence. */
  comparison: string | undefined;
}

/** Reads a journal into a status summary. */
export async function journalStatus(path: string): Promise<JournalStatus> {
  const { header, entries } = await readJournal(path);
  const trials = journalTrials(entries);
  const result = journalResult(entries);
  const count = (key: (t: TrialRecord) => string) =>
    trials.reduce<Record<string, number>>((acc, t) => {
      acc[key(t)] = (acc[key(t)] ?? 0) + 1;
      return acc;
    }, {});
  const best = result
    ? result.best
    : trials.filter((t) => t.phase === 'search' && t.feasible).sort(compareTrials)[0];
  return {
    studyId: header.studyId,
    createdAt: header.createdAt,
    trials: trials.length,
    byState: count((t) => t.state),
    byPhase: count((t) => t.phase),
    finished: result !== undefined,
    stopReason: result?.stopReason,
    best: best
      ? { trial: 'trial' in best ? best.trial : best.number, params: best.params, objective: best.objective }
      : undefined,
    keepDefaults: result?.defaults?.keepDefaults === true,
    comparison: result?.defaults?.summary,
  };
}

/** Human-readable status. */
export function statusText(status: JournalStatus): string {
  const states = Object.entries(status.byState)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const lines = [
    `Study ${status.studyId} (started ${status.createdAt})`,
    `  ${status.trials} trials: ${states || 'none yet'}`,
    `  ${status.finished ? `finished: ${status.stopReason}` : 'not finished (resume it with autotune resume)'}`,
    status.best
      ? `  ${status.finished ? 'recommended' : 'best so far'}: trial ${status.best.trial} ${
          status.keepDefaults
            ? '(the engine defaults)'
            : Object.entries(status.best.params)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' ')
        } -> ${status.best.objective?.map((v) => v.toFixed(1)).join(' / ')}`
      : status.finished
        ? '  no configuration met the SLO'
        : '  no feasible configuration yet',
    ...(status.comparison ? [`  ${status.comparison}`] : []),
    '',
  ];
  return lines.join('\n');
}

/** `autotune status <journal> [--json]`: prints the summary; returns the exit code. */
export async function statusCommand(path: string, options: { json: boolean }): Promise<number> {
  const status = await journalStatus(path);
  process.stdout.write(options.json ? `${JSON.stringify(status)}\n` : statusText(status));
  return EXIT.ok;
}
