import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';
import { objectiveSpecProblems, validateObjectiveSpec } from '../../../src/slo/validate-objective.js';

describe('validateObjectiveSpec', () => {
  it.each<[string, unknown]>([
    ['minimize_latency', 'minimize_latency'],
    ['minimize_ttft', 'minimize_ttft'],
    ['minimize_tpot', 'minimize_tpot'],
    ['maximize_throughput', 'maximize_throughput'],
    ['maximize_goodput', 'maximize_goodput'],
    ['throughput object', { kind: 'throughput', tokens: 'total', perGpu: true }],
    ['goodput object', { kind: 'goodput' }],
    ['latency object', { kind: 'latency', metric: 'itl', stat: 'p95' }],
    ['cost object', { kind: 'cost', gpuHourlyPriceUsd: 2.5 }],
    [
      'weighted',
      {
        kind: 'weighted',
        terms: [
          { objective: 'maximize_throughput', weight: 1 },
          { objective: 'minimize_ttft', weight: 0 },
        ],
      },
    ],
    ['vector', ['maximize_throughput', { kind: 'latency', metric: 'ttft', stat: 'p99' }]],
  ])('accepts %s', (_name, input) => {
    expect(validateObjectiveSpec(input)).toBe(input);
  });

  it.each<[string, unknown, string]>([
    ['unknown name', 'maximize_speed', 'objective'],
    ['a number', 3, 'objective'],
    ['unknown kind', { kind: 'fastest' }, 'objective.kind'],
    ['missing kind', { tokens: 'output' }, 'objective.kind'],
    ['unknown field', { kind: 'goodput', tokens: 'output' }, 'objective.tokens'],
    ['bad tokens', { kind: 'throughput', tokens: 'input' }, 'objective.tokens'],
    ['bad perGpu', { kind: 'throughput', perGpu: 'yes' }, 'objective.perGpu'],
    ['unknown latency metric', { kind: 'latency', metric: 'queue', stat: 'p99' }, 'objective.metric'],
    ['unknown latency stat', { kind: 'latency', metric: 'ttft', stat: 'max' }, 'objective.stat'],
    ['zero price', { kind: 'cost', gpuHourlyPriceUsd: 0 }, 'objective.gpuHourlyPriceUsd'],
    ['missing price', { kind: 'cost' }, 'objective.gpuHourlyPriceUsd'],
    ['empty weighted', { kind: 'weighted', terms: [] }, 'objective.terms'],
    [
      'negative weight',
      { kind: 'weighted', terms: [{ objective: 'minimize_ttft', weight: -1 }] },
      'objective.terms[0].weight',
    ],
    [
      'all-zero weights',
      { kind: 'weighted', terms: [{ objective: 'minimize_ttft', weight: 0 }] },
      'objective.terms',
    ],
    [
      'bad nested objective',
      { kind: 'weighted', terms: [{ objective: 'nope', weight: 1 }] },
      'objective.terms[0].objective',
    ],
    ['empty vector', [], 'objective'],
    ['nested vector', [['minimize_ttft']], 'objective[0]'],
    [
      'bad vector entry',
      ['minimize_ttft', { kind: 'latency', metric: 'ttft', stat: 'p42' }],
      'objective[1].stat',
    ],
  ])('rejects %s naming %s', (_name, input, option) => {
    const problems = objectiveSpecProblems(input);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toBeInstanceOf(InvalidOptionError);
    expect(problems[0]?.option).toBe(option);
    expect(() => validateObjectiveSpec(input)).toThrow(InvalidOptionError);
  });
});
