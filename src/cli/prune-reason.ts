// Why a trial was pruned, in words: the SLO terms its measured requests already broke.
import type { SloSpec } from '../slo/types.js';
import type { TrialRecord } from '../tune/trial-record.js';

const percent = (share: number): string => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

/**
 * The SLO terms a pruned trial broke on the requests it measured before it was stopped (`p90 tpot 63.2 ms >
 * 50 ms`), read from its constraint values (one per term in order, then the error rate); a generic sentence
 * when the record or the SLO does not say.
 */
export function pruneReason(record: TrialRecord, slo: SloSpec | undefined): string {
  const measured = record.metrics ? ` after ${record.metrics.requestCount} requests` : '';
  const constraints = record.constraints ?? [];
  const broken: string[] = [];
  for (const [i, term] of (slo?.terms ?? []).entries()) {
    if (!((constraints[i] ?? 0) > 0)) continue;
    const actual = record.metrics?.[`${term.metric}Ms`]?.[term.stat];
    broken.push(
      `${term.stat} ${term.metric} ${typeof actual === 'number' && Number.isFinite(actual) ? `${actual.toFixed(1)} ms` : 'unmeasured'} > ${term.maxMs} ms`,
    );
  }
  const errorIndex = slo?.terms.length ?? 0;
  if (slo?.maxErrorRate !== undefined && (constraints[errorIndex] ?? 0) > 0 && record.metrics)
    broken.push(`error rate ${percent(record.metrics.errorRate)} > ${percent(slo.maxErrorRate)}`);
  if (broken.length === 0) return `the SLO was lost beyond doubt${measured}`;
  return `SLO lost beyond doubt${measured}: ${broken.join(', ')}`;
}
