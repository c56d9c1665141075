// Validation of objective specs: every problem as an InvalidOptionError naming the field path.
import { InvalidOptionError } from '../errors.js';
import type { ObjectiveName, ObjectiveSpec } from './objective.js';
import type { LatencyMetric, LatencyStat } from './types.js';
import { isRecord, LATENCY_METRICS, LATENCY_STATS, unknownKeys } from './validate-slo.js';

/** Objective names accepted as plain strings. */
export const OBJECTIVE_NAMES: readonly ObjectiveName[] = [
  'minimize_latency',
  'minimize_ttft',
  'minimize_tpot',
  'maximize_throughput',
  'maximize_goodput',
  'maximize_total_throughput',
];

const KINDS: Record<string, readonly string[]> = {
  throughput: ['kind', 'tokens', 'perGpu'],
  goodput: ['kind', 'perGpu'],
  latency: ['kind', 'metric', 'stat'],
  cost: ['kind', 'gpuHourlyPriceUsd'],
  weighted: ['kind', 'terms'],
};

function objectiveProblems(input: unknown, path: string, problems: InvalidOptionError[]): void {
  if (typeof input === 'string') {
    if (!OBJECTIVE_NAMES.includes(input as ObjectiveName)) {
      problems.push(
        new InvalidOptionError(path, input, `one of ${OBJECTIVE_NAMES.join(', ')} or an objective object`),
      );
    }
    return;
  }
  if (!isRecord(input)) {
    problems.push(new InvalidOptionError(path, input, 'an objective name or an object with a kind'));
    return;
  }
  const allowed = typeof input.kind === 'string' ? KINDS[input.kind] : undefined;
  if (!allowed) {
    problems.push(
      new InvalidOptionError(`${path}.kind`, input.kind, `one of ${Object.keys(KINDS).join(', ')}`),
    );
    return;
  }
  unknownKeys(input, allowed, path, problems);
  if (input.perGpu !== undefined && typeof input.perGpu !== 'boolean') {
    problems.push(new InvalidOptionError(`${path}.perGpu`, input.perGpu, 'a boolean'));
  }
  switch (input.kind) {
    case 'throughput':
      if (input.tokens !== undefined && !['output', 'total', 'requests'].includes(input.tokens as string)) {
        problems.push(
          new InvalidOptionError(`${path}.tokens`, input.tokens, 'one of output, total, requests'),
        );
      }
      break;
    case 'latency':
      if (!LATENCY_METRICS.includes(input.metric as LatencyMetric)) {
        problems.push(
          new InvalidOptionError(`${path}.metric`, input.metric, `one of ${LATENCY_METRICS.join(', ')}`),
        );
      }
      if (!LATENCY_STATS.includes(input.stat as LatencyStat)) {
        problems.push(
          new InvalidOptionError(`${path}.stat`, input.stat, `one of ${LATENCY_STATS.join(', ')}`),
        );
      }
      break;
    case 'cost': {
      const price = input.gpuHourlyPriceUsd;
      if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
        problems.push(new InvalidOptionError(`${path}.gpuHourlyPriceUsd`, price, 'a price in USD > 0'));
      }
      break;
    }
    case 'weighted':
      weightedProblems(input.terms, `${path}.terms`, problems);
      break;
  }
}

function weightedProblems(terms: unknown, path: string, problems: InvalidOptionError[]): void {
  if (!Array.isArray(terms) || terms.length === 0) {
    problems.push(new InvalidOptionError(path, terms, 'a non-empty list of { objective, weight }'));
    return;
  }
  terms.forEach((term: unknown, i: number) => {
    const at = `${path}[${i}]`;
    if (!isRecord(term)) {
      problems.push(new InvalidOptionError(at, term, 'an object { objective, weight }'));
      return;
    }
    unknownKeys(term, ['objective', 'weight'], at, problems);
    const weight = term.weight;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      problems.push(new InvalidOptionError(`${at}.weight`, weight, 'a number >= 0'));
    }
    objectiveProblems(term.objective, `${at}.objective`, problems);
  });
  if (terms.every((t) => isRecord(t) && t.weight === 0)) {
    problems.push(new InvalidOptionError(path, terms, 'at least one weight > 0'));
  }
}

/**
 * Every problem of an objective spec (a name, an objective object, or a non-empty list of them for
 * multi-objective search), each an InvalidOptionError naming the field path, e.g. `objective[1].stat`.
 */
export function objectiveSpecProblems(input: unknown, path = 'objective'): InvalidOptionError[] {
  const problems: InvalidOptionError[] = [];
  if (Array.isArray(input)) {
    if (input.length === 0) problems.push(new InvalidOptionError(path, input, 'at least one objective'));
    input.forEach((item: unknown, i: number) => {
      if (Array.isArray(item))
        problems.push(new InvalidOptionError(`${path}[${i}]`, item, 'an objective, not a list'));
      else objectiveProblems(item, `${path}[${i}]`, problems);
    });
  } else {
    objectiveProblems(input, path, problems);
  }
  return problems;
}

/** Returns `input` as an objective spec, or throws the first problem objectiveSpecProblems finds. */
export function validateObjectiveSpec(input: unknown, path = 'objective'): ObjectiveSpec {
  const [first] = objectiveSpecProblems(input, path);
  if (first) throw first;
  return input as ObjectiveSpec;
}
