import { describe, expect, it } from 'vitest';
import { constraintsHold, constraintValues } from '../../../src/slo/constraint-values.js';
import type { SloSpec } from '../../../src/slo/types.js';
import { createEstimateEvaluator } from '../../../src/tune/estimate-evaluator.js';
import type { TrialContext } from '../../../src/tune/evaluator.js';
import { resolveOptions } from '../../../src/tune/resolve-options.js';

const slo = { terms: [{ metric: 'tpot' as const, stat: 'p99' as const, maxMs: 30 }] };

function evaluatorFor(load: Record<string, unknown>, sloSpec: SloSpec = slo) {
  const resolved = resolveOptions({
    runtime: 'sim',
    model: 'llama-3.1-8b',
    sim: { gpu: 'h100', numGpus: 1 },
    space: { 'max-num-seqs': [64, 256] },
    workload: { kind: 'synthetic', inputTokens: 1000, outputTokens: 200 },
    load,
    slo: sloSpec,
  });
  return createEstimateEvaluator(resolved, () => ({ worldSize: 1, problems: [] }));
}

const context = (params: Record<string, number>): TrialContext => ({
  trial: { number: 0, params, phase: 'search' },
  gpus: [],
  signal: new AbortController().signal,
  emit: () => {},
});

const meets = (m: Parameters<typeof constraintValues>[0]) =>
  constraintsHold(constraintValues(m, slo as SloSpec));

describe('estimate evaluator', () => {
  it('searches the capacity on the analytic model: the answer meets the SLO and the next level does not', async () => {
    const evaluation = await evaluatorFor({ kind: 'capacity', by: 'concurrency', tolerance: 0.05 }).evaluate(
      context({ 'max-num-seqs': 256 }),
    );
    expect(evaluation.state).toBe('complete');
    const levels = evaluation.levels ?? [];
    expect(levels.length).toBeGreaterThan(3);
    const passing = levels.filter((l) => meets(l.metrics)).map((l) => l.level);
    const failing = levels.filter((l) => !meets(l.metrics)).map((l) => l.level);
    const capacity = Math.max(...passing);
    const firstFailing = Math.min(...failing);
    expect(capacity).toBeGreaterThan(1);
    expect(firstFailing - capacity).toBeLessThanOrEqual(Math.max(1, 0.05 * capacity));
    expect(evaluation.metrics).toBe(levels.find((l) => l.level === capacity)?.metrics);
  });

  it('searches request rates too, and reports a configuration that cannot start as failed', async () => {
    // Past the capacity requests queue: TTFT bounds the rate (TPOT alone would not, with the batch capped).
    const withTtft: SloSpec = { terms: [...slo.terms, { metric: 'ttft', stat: 'p99', maxMs: 2000 }] };
    const byRate = await evaluatorFor({ kind: 'capacity', by: 'rate', tolerance: 0.1 }, withTtft).evaluate(
      context({ 'max-num-seqs': 64 }),
    );
    expect(byRate.state).toBe('complete');
    expect(constraintsHold(constraintValues(byRate.metrics as never, withTtft))).toBe(true);
    expect(Math.max(...(byRate.levels ?? []).map((l) => l.level))).toBeLessThan(1000);
    const resolved = resolveOptions({
      runtime: 'sim',
      model: 'llama-3.1-70b',
      sim: { gpu: 'rtx-4090', numGpus: 1 },
      space: { 'max-num-seqs': [64] },
      load: { kind: 'capacity' },
      slo,
    });
    const oom = await createEstimateEvaluator(resolved, () => ({ worldSize: 1, problems: [] })).evaluate(
      context({ 'max-num-seqs': 64 }),
    );
    expect(oom).toMatchObject({ state: 'failed', failure: { reason: 'oom' } });
  });
});
