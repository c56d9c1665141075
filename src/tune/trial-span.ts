// Wall time the trials of a study took, overlapping (parallel) trials counted once.
import type { TrialRecord } from './trial-record.js';

/** The length of the union of the trials' [startedAt, finishedAt] intervals in ms (0 for none). */
export function trialsWallMs(trials: ReadonlyArray<Pick<TrialRecord, 'startedAt' | 'finishedAt'>>): number {
  const spans = trials
    .map((t) => [Date.parse(t.startedAt), Date.parse(t.finishedAt)] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b >= a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let open: [number, number] | undefined;
  for (const [start, end] of spans) {
    if (open && start <= open[1]) open[1] = Math.max(open[1], end);
    else {
      if (open) total += open[1] - open[0];
      open = [start, end];
    }
  }
  return open ? total + open[1] - open[0] : total;
}
