// Per-request SLO check and goodput / attainment (DistServe and vLLM's benchmark definition).
import { InvalidOptionError } from '../errors.js';
import { statistic } from './percentile.js';
import type { RequestLatency, SloSpec, SloTerm } from './types.js';

/** Goodput of one run: requests per second that met every per-request SLO, and the share that did. */
export interface GoodputResult {
  /** Requests that met the SLO divided by the measured duration. */
  goodputRps: number;
  /** Share of requests that met the SLO, in [0, 1]; 0 when there were no requests. */
  attainment: number;
  /** Requests that met the SLO. */
  met: number;
  /** Requests judged (failed ones included). */
  total: number;
}

function termHolds(request: RequestLatency, term: SloTerm): boolean {
  switch (term.metric) {
    case 'ttft':
      return request.ttftMs !== undefined && request.ttftMs <= term.maxMs;
    case 'e2e':
      return request.e2eMs !== undefined && request.e2eMs <= term.maxMs;
    case 'tpot':
      // A one-token output has no decode phase, hence no TPOT; vLLM's benchmark counts it as meeting the bound.
      return request.tpotMs === undefined || request.tpotMs <= term.maxMs;
    case 'itl': {
      // The term's statistic over this request's own gaps (mean gap, p99 gap, ...); no gaps: nothing to break.
      const value = statistic(request.itlMs ?? [], term.stat);
      return value === undefined || value <= term.maxMs;
    }
    default:
      return false;
  }
}

/**
 * Whether one request met the SLO: it succeeded and, for every term, its own value of the term's metric is
 * within the term's bound (inclusive). The term's statistic only matters for ITL, where it is applied to the
 * request's own inter-token gaps (a `p99` ITL term needs the request's 99th-percentile gap within the bound;
 * `mean` its mean gap). Several terms on one metric all apply, so the strictest bound decides. Failed
 * requests always miss; a missing TTFT or E2E misses; a missing TPOT or ITL (one-token output) does not.
 */
export function requestMeetsSlo(request: RequestLatency, slo: SloSpec): boolean {
  if (!request.ok) return false;
  for (const term of slo.terms) {
    if (!termHolds(request, term)) return false;
  }
  return true;
}

/**
 * Goodput over a measured window of `durationS` seconds: requests that met the SLO per second, plus the
 * attainment (met / total). Errors count as misses.
 */
export function goodput(requests: readonly RequestLatency[], slo: SloSpec, durationS: number): GoodputResult {
  if (!(Number.isFinite(durationS) && durationS > 0)) {
    throw new InvalidOptionError('durationS', durationS, 'a finite number of seconds > 0');
  }
  let met = 0;
  for (const request of requests) {
    if (requestMeetsSlo(request, slo)) met++;
  }
  const total = requests.length;
  return { goodputRps: met / durationS, attainment: total === 0 ? 0 : met / total, met, total };
}
