// Counts of trial outcomes shared by the HTML report and the Markdown summary.
import { isNotLaunched, type TrialRecord } from '../tune/trial-record.js';
import { failureReason, trialOutcome } from './trial-view.js';

/** How the trials of a study ended. */
export interface StudyCounts {
  /** Runs of the engine defaults. */
  baseline: number;
  /** Search trials that ran (configurations recorded without a launch are counted apart, below). */
  search: number;
  confirm: number;
  feasible: number;
  infeasible: number;
  failed: number;
  pruned: number;
  /** Configurations the analytic model screened: not launched, counted apart from the failures. */
  screened: number;
  /** Launch lines that failed to start in an earlier study: not launched again, counted apart. */
  knownFailures: number;
  /** Layouts wider than the study's GPUs: refused before launch, counted apart. */
  noCapacity: number;
  /** Failed, invalid and pruned trials by classified reason, most frequent first. */
  reasons: Array<{ reason: string; count: number }>;
}

/** Counts the outcomes of search trials (baseline and confirmation runs are counted apart). */
export function studyCounts(trials: readonly TrialRecord[]): StudyCounts {
  const search = trials.filter((t) => t.phase === 'search');
  const byReason = new Map<string, number>();
  const counts = {
    feasible: 0,
    infeasible: 0,
    failed: 0,
    pruned: 0,
    screened: 0,
    knownFailures: 0,
    noCapacity: 0,
  };
  for (const trial of search) {
    // Recorded without a launch: counted by why, apart from the trials that ran.
    if (trial.screened || isNotLaunched(trial)) {
      if (trial.screened || trial.failureReason === 'screened') counts.screened++;
      else if (trial.failureReason === 'known-failure') counts.knownFailures++;
      else counts.noCapacity++;
      continue;
    }
    const outcome = trialOutcome(trial);
    counts[outcome]++;
    if (outcome === 'failed' || outcome === 'pruned') {
      const reason = failureReason(trial);
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
  }
  return {
    baseline: trials.filter((t) => t.phase === 'baseline').length,
    search: search.length - counts.screened - counts.knownFailures - counts.noCapacity,
    confirm: trials.filter((t) => t.phase === 'confirm').length,
    ...counts,
    reasons: [...byReason.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}
