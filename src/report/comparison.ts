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

/** The trial the defaults were compared with: the best tuned configuration (the winner in older journals). */
function tunedRecord(data: ReportData): TrialRecord | undefined {
  const number = data.defaults?.tunedTrial;
  if (number !== undefined) return data.trials.find((t) => t.number === number);
  return data.defaults?.verdict === undefined ? data.best?.record : undefined;
}

/** The comparison with the engine defaults as the report shows it: one source for the card and the sentences. */
export interface ComparisonView {
  /** Short text of the summary card, e.g. `+12.3% (95%: +8.1% to +16.5%)` or `keep defaults: +0.4%, within noise`. */
  card: string;
  /** The verdict, with the numbers. */
  headline: string | undefined;
  /** Other figures of the compared runs (goodput, throughput, the SLO's latency), labelled as single runs. */
  details: string | undefined;
}

function cardText(data: ReportData, legacyImprovement: number | undefined): string {
  const d = data.defaults;
  if (!d) return '-';
  const change = formatPercent(d.improvement);
  switch (d.verdict) {
    case undefined:
      return formatPercent(legacyImprovement);
    case 'better': {
      const i = d.interval;
      return i
        ? `${change} (${Math.round(i.confidence * 100)}%: ${formatPercent(i.low)} to ${formatPercent(i.high)})`
        : change;
    }
    case 'within-noise':
      return `keep defaults: ${change}, within noise`;
    case 'worse':
      return `keep defaults: ${change}, worse`;
    case 'unconfirmed':
      return d.keepDefaults ? `keep defaults: ${change}, single runs` : `${change}, single runs`;
    case 'defaults-infeasible':
      return 'defaults broke the SLO';
    case 'defaults-failed':
      return 'defaults failed';
    case 'no-tuned-feasible':
      return 'keep defaults: nothing else met the SLO';
    default:
      return d.keepDefaults ? `keep defaults: ${change}` : change;
  }
}

// Goodput, output tok/s (when the objective is not already throughput) and the SLO's latency of two trials.
function figures(data: ReportData, mine: TrialRecord, base: TrialRecord): { parts: string[]; at: string } {
  const parts: string[] = [];
  const goodput = mine.metrics?.goodputRps;
  const baseGoodput = base.metrics?.goodputRps;
  if (goodput !== undefined && baseGoodput !== undefined && baseGoodput > 0) {
    parts.push(
      `${formatPercent(goodput / baseGoodput - 1)} goodput (${formatNumber(goodput)} vs ${formatNumber(baseGoodput)} req/s)`,
    );
  }
  const throughput = mine.metrics?.outputTokensPerS;
  const baseThroughput = base.metrics?.outputTokensPerS;
  const objectiveIsThroughput = /^(maximize_throughput|maximize output tok\/s)$/.test(
    data.objectiveNames[0] ?? '',
  );
  if (
    !objectiveIsThroughput &&
    throughput !== undefined &&
    baseThroughput !== undefined &&
    baseThroughput > 0
  )
    parts.push(`${formatPercent(throughput / baseThroughput - 1)} output tok/s`);
  const { metric, stat } = tradeoffAxis(data);
  const latency = latencyOf(mine.metrics, metric, stat);
  const baseLatency = latencyOf(base.metrics, metric, stat);
  const at =
    latency !== undefined && baseLatency !== undefined
      ? `${stat} ${metric.toUpperCase()} ${formatNumber(latency)} ms (defaults: ${formatNumber(baseLatency)} ms)`
      : '';
  return { parts, at };
}

// Journals written before verdicts: the change the study reported (or, for infeasible defaults, the plain one).
function legacyView(data: ReportData): ComparisonView {
  const best = data.best?.record;
  const base = defaultsRecord(data);
  const d = data.defaults;
  if (!data.best || !best || !base || !d)
    return { card: cardText(data, d?.improvement), headline: undefined, details: undefined };
  const name = `the engine defaults (trial ${base.number})`;
  if (base.number === data.best.trial)
    return {
      card: cardText(data, d.improvement),
      headline: `The engine defaults (trial ${base.number}) won: no better configuration was found.`,
      details: undefined,
    };
  const computed = improvementOver(
    data.best.objective[0],
    base.objective?.[0],
    data.directions[0] ?? 'maximize',
  );
  // The study compared only with feasible defaults; the plain change is still shown for infeasible ones.
  const improvement = base.feasible ? (d.improvement ?? computed) : computed;
  const { parts, at } = figures(data, best, base);
  if (improvement !== undefined)
    parts.unshift(`${formatPercent(improvement)} ${data.objectiveNames[0] ?? 'objective'}`);
  const where = at ? ` at ${at}` : '';
  let headline: string | undefined;
  if (!base.feasible) {
    const why =
      base.state === 'complete'
        ? `broke the SLO (${violatedBounds(base, data.slo).join(', ')})`
        : `failed (${outcomeText(base, data.slo)})`;
    const numbers = parts.length > 0 ? ` The winner: ${parts.join(', ')}${where}.` : '';
    headline = `${capitalise(name)} ${why}; the winner meets it.${numbers}`;
  } else headline = parts.length > 0 ? `${parts.join(', ')} over ${name}${where}.` : undefined;
  return { card: cardText(data, improvement), headline, details: undefined };
}

/** The comparison of the recommendation with the engine defaults: card text, verdict sentence and figures. */
export function comparisonView(data: ReportData): ComparisonView {
  const d = data.defaults;
  if (!d) return { card: '-', headline: undefined, details: undefined };
  if (d.verdict === undefined || d.summary === undefined) return legacyView(data);
  const base = defaultsRecord(data);
  const mine = tunedRecord(data);
  let details: string | undefined;
  if (base && mine && base.metrics && mine.metrics) {
    const { parts, at } = figures(data, mine, base);
    const all = [...parts, ...(at ? [at] : [])];
    const broken = base.state === 'complete' && !base.feasible ? violatedBounds(base, data.slo) : [];
    const prefix = broken.length > 0 ? `The defaults' first run broke ${broken.join(', ')}. ` : '';
    if (all.length > 0)
      details = `${prefix}Trial ${mine.number} against the engine defaults (trial ${base.number}), first runs: ${all.join(', ')}.`;
    else if (prefix) details = prefix.trim();
  }
  return { card: cardText(data, d.improvement), headline: d.summary, details };
}

/** The comparison with the defaults as sentences (the verdict, then the figures), or undefined without one. */
export function defaultsSentence(data: ReportData): string | undefined {
  const view = comparisonView(data);
  const text = [view.headline, view.details].filter((t): t is string => t !== undefined).join(' ');
  return text === '' ? undefined : text;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
