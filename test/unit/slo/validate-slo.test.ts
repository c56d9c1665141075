import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { sloSpecProblems, validateSloSpec } from '../../../src/slo/validate-slo.js';

const term = { metric: 'ttft', stat: 'p99', maxMs: 500 };

describe('validateSloSpec', () => {
  it.each<[string, unknown]>([
    ['one term', { terms: [term] }],
    [
      'every option',
      { steepness: 0.2, maxErrorRate: 0, terms: [{ ...term, weight: 0, hardFail: true, failRatio: 0.3 }] },
    ],
    ['no terms', { terms: [] }],
  ])('accepts %s', (_name, input) => {
    expect(validateSloSpec(input)).toBe(input);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'fast', 'slo'],
    ['missing terms', {}, 'slo.terms'],
    ['unknown field', { terms: [], steepnes: 0.1 }, 'slo.steepnes'],
    ['zero steepness', { terms: [], steepness: 0 }, 'slo.steepness'],
    ['negative steepness', { terms: [], steepness: -1 }, 'slo.steepness'],
    ['error rate above 1', { terms: [], maxErrorRate: 1.5 }, 'slo.maxErrorRate'],
    ['term not an object', { terms: [3] }, 'slo.terms[0]'],
    ['unknown metric', { terms: [{ ...term, metric: 'latency' }] }, 'slo.terms[0].metric'],
    ['unknown statistic', { terms: [{ ...term, stat: 'p75' }] }, 'slo.terms[0].stat'],
    ['negative threshold', { terms: [{ ...term, maxMs: -5 }] }, 'slo.terms[0].maxMs'],
    ['zero threshold', { terms: [{ ...term, maxMs: 0 }] }, 'slo.terms[0].maxMs'],
    ['missing threshold', { terms: [{ metric: 'ttft', stat: 'p99' }] }, 'slo.terms[0].maxMs'],
    ['string threshold', { terms: [{ ...term, maxMs: '500' }] }, 'slo.terms[0].maxMs'],
    ['negative weight', { terms: [{ ...term, weight: -1 }] }, 'slo.terms[0].weight'],
    ['zero failRatio', { terms: [{ ...term, failRatio: 0 }] }, 'slo.terms[0].failRatio'],
    ['non-boolean hardFail', { terms: [{ ...term, hardFail: 'yes' }] }, 'slo.terms[0].hardFail'],
    ['unknown term field', { terms: [term, { ...term, max: 3 }] }, 'slo.terms[1].max'],
  ])('rejects %s naming %s', (_name, input, option) => {
    let caught: unknown;
    try {
      validateSloSpec(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionError);
    expect((caught as InvalidOptionError).option).toBe(option);
    expect((caught as InvalidOptionError).code).toBe('ERR_INVALID_OPTION_VALUE');
  });

  it('reports every problem at once', () => {
    const problems = sloSpecProblems(
      { steepness: 0, terms: [{ metric: 'x', stat: 'y', maxMs: -1 }] },
      'study.slo',
    );
    expect(problems.map((p) => p.option)).toEqual([
      'study.slo.steepness',
      'study.slo.terms[0].metric',
      'study.slo.terms[0].stat',
      'study.slo.terms[0].maxMs',
    ]);
    expect(problems[3]?.message).toMatch(/study\.slo\.terms\[0\]\.maxMs: got -1/);
  });
});
