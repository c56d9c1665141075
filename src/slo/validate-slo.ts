// Validation of SLO specs: every problem as an InvalidOptionError naming the field path and the bad value.
import { InvalidOptionError } from '../errors.js';
import type { LatencyMetric, LatencyStat, SloSpec } from './types.js';

/** Metrics an SLO term can bound. */
export const LATENCY_METRICS: readonly LatencyMetric[] = ['ttft', 'tpot', 'itl', 'e2e'];
/** Statistics an SLO term can bound. */
export const LATENCY_STATS: readonly LatencyStat[] = ['mean', 'p50', 'p90', 'p95', 'p99'];

const SLO_KEYS = ['steepness', 'terms', 'maxErrorRate'];
const TERM_KEYS = ['metric', 'stat', 'maxMs', 'weight', 'hardFail', 'failRatio'];

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pushes an error for each key of `value` outside `allowed`. */
export function unknownKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  problems: InvalidOptionError[],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      problems.push(
        new InvalidOptionError(`${path}.${key}`, value[key], `no such field (known: ${allowed.join(', ')})`),
      );
    }
  }
}

function checkNumber(
  value: unknown,
  path: string,
  ok: (x: number) => boolean,
  expected: string,
  problems: InvalidOptionError[],
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    problems.push(new InvalidOptionError(path, value, expected));
  }
}

/**
 * Every problem of an SLO spec, each an InvalidOptionError naming the field path (`slo.terms[0].maxMs`):
 * unknown fields, unknown metric or statistic, threshold not > 0, weight < 0, failRatio <= 0, steepness <= 0,
 * maxErrorRate outside [0, 1], hardFail not a boolean.
 */
export function sloSpecProblems(input: unknown, path = 'slo'): InvalidOptionError[] {
  const problems: InvalidOptionError[] = [];
  if (!isRecord(input)) return [new InvalidOptionError(path, input, 'an object with a terms list')];
  unknownKeys(input, SLO_KEYS, path, problems);
  checkNumber(input.steepness, `${path}.steepness`, (x) => x > 0, 'a number > 0', problems);
  checkNumber(
    input.maxErrorRate,
    `${path}.maxErrorRate`,
    (x) => x >= 0 && x <= 1,
    'a share in [0, 1]',
    problems,
  );
  if (!Array.isArray(input.terms)) {
    problems.push(new InvalidOptionError(`${path}.terms`, input.terms, 'a list of SLO terms'));
    return problems;
  }
  input.terms.forEach((term: unknown, i: number) => {
    const at = `${path}.terms[${i}]`;
    if (!isRecord(term)) {
      problems.push(new InvalidOptionError(at, term, 'an object { metric, stat, maxMs }'));
      return;
    }
    unknownKeys(term, TERM_KEYS, at, problems);
    if (!LATENCY_METRICS.includes(term.metric as LatencyMetric)) {
      problems.push(
        new InvalidOptionError(`${at}.metric`, term.metric, `one of ${LATENCY_METRICS.join(', ')}`),
      );
    }
    if (!LATENCY_STATS.includes(term.stat as LatencyStat)) {
      problems.push(new InvalidOptionError(`${at}.stat`, term.stat, `one of ${LATENCY_STATS.join(', ')}`));
    }
    if (term.maxMs === undefined)
      problems.push(new InvalidOptionError(`${at}.maxMs`, undefined, 'a number > 0 (ms)'));
    checkNumber(term.maxMs, `${at}.maxMs`, (x) => x > 0, 'a number > 0 (ms)', problems);
    checkNumber(term.weight, `${at}.weight`, (x) => x >= 0, 'a number >= 0', problems);
    checkNumber(term.failRatio, `${at}.failRatio`, (x) => x > 0, 'a number > 0', problems);
    if (term.hardFail !== undefined && typeof term.hardFail !== 'boolean') {
      problems.push(new InvalidOptionError(`${at}.hardFail`, term.hardFail, 'a boolean'));
    }
  });
  return problems;
}

/** Returns `input` as an SLO spec, or throws the first problem sloSpecProblems finds. */
export function validateSloSpec(input: unknown, path = 'slo'): SloSpec {
  const [first] = sloSpecProblems(input, path);
  if (first) throw first;
  return input as SloSpec;
}
