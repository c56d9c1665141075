// The end-of-study summary printed by the CLI.
import type { TuneResult } from '../../tune/result.js';

function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

/** A short plain-text summary: the winner, its margin over the defaults, and how to run it. */
export function summaryText(result: TuneResult): string {
  const lines: string[] = [];
  const complete = result.trials.filter((t) => t.phase === 'search' && t.state === 'complete').length;
  const searched = result.trials.filter((t) => t.phase === 'search').length;
  lines.push(
    '',
    `Study ${result.studyId}: ${searched} trials (${complete} complete), stopped: ${result.stopReason}`,
  );
  lines.push(`Objective: ${result.objectiveNames.join(', ')}`);
  const best = result.best;
  if (!best) {
    lines.push('No configuration met the SLO.', `Journal: ${result.journalPath}`, '');
    return lines.join('\n');
  }
  const params = Object.entries(best.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  lines.push(`Best: trial ${best.trial}  ${params}`);
  const confirmed = best.confirmedMean !== undefined ? ` (confirmed mean ${fmt(best.confirmedMean)})` : '';
  lines.push(`  ${result.objectiveNames[0]}: ${fmt(best.objective[0])}${confirmed}`);
  const m = best.record.metrics;
  if (m) {
    lines.push(
      `  TTFT p99 ${fmt(m.ttftMs.p99)} ms, TPOT p99 ${fmt(m.tpotMs.p99)} ms, E2E p99 ${fmt(m.e2eMs.p99)} ms, ${fmt(m.outputTokensPerS)} output tok/s` +
        (m.goodputRps !== undefined ? `, goodput ${fmt(m.goodputRps, 2)} req/s` : ''),
    );
  }
  if (best.tiedWith.length > 0) lines.push(`  Statistically tied with trial(s) ${best.tiedWith.join(', ')}`);
  const defaults = result.defaults;
  if (defaults) {
    if (!defaults.defaultsFeasible)
      lines.push(
        `Engine defaults (trial ${defaults.defaultsTrial}) do not meet the SLO; the best configuration does.`,
      );
    else if (defaults.improvement !== undefined) {
      lines.push(
        `Versus engine defaults (trial ${defaults.defaultsTrial}): ${defaults.improvement >= 0 ? '+' : ''}${(defaults.improvement * 100).toFixed(1)}%`,
      );
    }
  }
  lines.push('', 'Run it:', `  ${best.exports.argv}`, '', `Journal: ${result.journalPath}`, '');
  return lines.join('\n');
}
