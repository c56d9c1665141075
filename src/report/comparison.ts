// The winner against the engine defaults and against the SLO, as numbers and as one readable sentence.
import type { SloSpec } from '../slo/types.js';
import type { TrialRecord } from '../tune/trial-record.js';
import { formatNumber, formatPercent } from './format-number.js';
import { improvementOver, type ReportData } from './report-data.js';
import { latencyOf, tradeoffAxis } from './tradeoff-chart.js';
import { outcomeText, violatedBounds } from './trial-view.js';

/** How much room the winner leaves under one SLO bound. */
export interface SloMargin {
  label: string;
  observed: number | undefined;
  limit: number;
  /** (limit - observed) / limit: positive = headroom, negative = over the bound. */
  margin: number | undefined;
  met: boolean;
}

/** The SLO margins of a trial (every term, then the error-rate bound). */
export function sloMargins(record: TrialRecord | undefined, slo: SloSpec | undefined): SloMargin[] {
  if (!slo || !record) return [];
  const rows: SloMargin[] = slo.terms.map((term) => {
    const observed = latencyOf(record.metrics, term.metric, term.stat);
    const margin = observed === undefined ? undefined : (term.maxMs - observed) / term.maxMs;
    return {
      label: `${term.stat} ${term.metric.toUpperCase()} <= ${term.maxMs} ms`,
      observed,
      limit: term.maxMs,
      margin,
      met: margin !== undefined && margin >= 0,
    };
  });
  if (slo.maxErrorRate !== undefined) {
    const observed = record.metrics?.errorRate;
    const margin =
      observed === undefined
        ? undefined
        : slo.maxErrorRate > 0
          ? (slo.maxErrorRate - observed) / slo.maxErrorRate
          : -observed;
    rows.push({
      label: `error rate <= ${slo.maxErrorRate}`,
      observed,
      limit: slo.maxErrorRate,
      margin,
      met: observed !== undefined && observed <= slo.maxErrorRate,
    });
  }
  return rows;
}

/** The defaults trial's record, when the study has one. */
export function defaultsRecord(data: ReportData): TrialRecord | undefined {
  const number = data.defaults?.defaultsTrial;
  return number === undefined ? undefined : data.trials.find((t) => t.number === number);
}

/** One sentence comparing the winner with the defaults, e.g. `+35.2% output tok/s, +20.0% goodput ...`. */
export function defaultsSentence(data: ReportData): string | undefined {
  const best = data.best?.record;
  const base = defaultsRecord(data);
  if (!data.best || !best || !base || !data.defaults) return undefined;
  const name = `the engine defaults (trial ${base.number})`;
  if (base.number === data.best.trial)
    return `The engine defaults (trial ${base.number}) won: no better configuration was found.`;
  const parts: string[] = [];
  const computed = improvementOver(
    data.best.objective[0],
    base.objective?.[0],
    data.directions[0] ?? 'maximize',
  );
  // The study compares only with feasible defaults; the plain change is still shown for infeasible ones.
  const improvement = base.feasible ? (data.defaults.improvement ?? computed) : computed;
  if (improvement !== undefined)
    parts.push(`${formatPercent(improvement)} ${data.objectiveNames[0] ?? 'objective'}`);
  const goodput = best.metrics?.goodputRps;
  const baseGoodput = base.metrics?.goodputRps;
  if (goodput !== undefined && baseGoodput !== undefined && baseGoodput > 0) {
    parts.push(
      `${formatPercent(goodput / baseGoodput - 1)} goodput (${formatNumber(goodput)} vs ${formatNumber(baseGoodput)} req/s)`,
    );
  }
  const throughput = best.metrics?.outputTokensPerS;
  const baseThroughput = base.metrics?.outputTokensPerS;
  const objectiveIsThroughput = /^(maximize_throughput|maximize output tok\/s)$/.test(
    data.objectiveNames[0] ?? '',
  );
  if (
    !objectiveIsThroughput &&
    throughput !== undefined &&
    baseThroughput !== undefined &&
    baseThroughput > 0
  ) {
    parts.push(`${formatPercent(throughput / baseThroughput - 1)} output tok/s`);
  }
  const { metric, stat } = tradeoffAxis(data);
  const latency = latencyOf(best.metrics, metric, stat);
  const baseLatency = latencyOf(base.metrics, metric, stat);
  const at =
    latency !== undefined && baseLatency !== undefined
      ? ` at ${stat} ${metric.toUpperCase()} ${formatNumber(latency)} ms (defaults: ${formatNumber(baseLatency)} ms)`
      : '';
  if (!base.feasible) {
    // Still worth the numbers: how far the defaults were from a configuration that meets the SLO.
    const why =
      base.state === 'complete'
        ? `broke the SLO (${violatedBounds(base, data.slo).join(', ')})`
        : `failed (${outcomeText(base, data.slo)})`;
    const numbers = parts.length > 0 ? ` The winner: ${parts.join(', ')}${at}.` : '';
    return `${capitalise(name)} ${why}; the winner meets it.${numbers}`;
  }
  return parts.length > 0 ? `${parts.join(', ')} over ${name}${at}.` : undefined;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
