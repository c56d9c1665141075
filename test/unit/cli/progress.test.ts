// The plain-line progress view: search trials counted against the budget (also after a resume), and the words
// that say why a trial was pruned or failed.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineView } from '../../../src/cli/progress.js';
import { pruneReason } from '../../../src/cli/prune-reason.js';
import type { SloSpec } from '../../../src/slo/types.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';

const stats = (p99: number) => ({ mean: p99 / 2, p50: p99 / 2, p90: p99 * 0.9, p95: p99 * 0.95, p99 });

function record(number: number, phase: TrialRecord['phase'], extra: Partial<TrialRecord> = {}): TrialRecord {
  return {
    number,
    phase,
    params: {},
    state: 'complete',
    feasible: true,
    objective: [1234],
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:02.000Z',
    durationMs: 2_000,
    ...extra,
  };
}

const metrics = {
  ttftMs: stats(800),
  tpotMs: stats(63.25),
  itlMs: stats(60),
  e2eMs: stats(9_000),
  requestsPerS: 3,
  inputTokensPerS: 1_000,
  outputTokensPerS: 400,
  totalTokensPerS: 1_400,
  errorRate: 0.25,
  requestCount: 37,
} as TrialRecord['metrics'];

const slo: SloSpec = {
  terms: [
    { metric: 'ttft', stat: 'p99', maxMs: 1_000 },
    { metric: 'tpot', stat: 'p99', maxMs: 50 },
  ],
  maxErrorRate: 0.1,
};

function capture(): { out: Writable; lines: () => string[] } {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, lines: () => text.trim().split('\n') };
}

describe('pruneReason', () => {
  it.each([
    [
      [-0.2, 0.265, 1.5],
      'SLO lost beyond doubt after 37 requests: p99 tpot 63.3 ms > 50 ms, error rate 25% > 10%',
    ],
    [[-0.2, 0.265, -1], 'SLO lost beyond doubt after 37 requests: p99 tpot 63.3 ms > 50 ms'],
    [[-0.2, -0.1, -1], 'the SLO was lost beyond doubt after 37 requests'],
  ])('constraints %j -> %s', (constraints, text) => {
    expect(pruneReason(record(3, 'search', { state: 'pruned', metrics, constraints }), slo)).toBe(text);
  });

  it('falls back to a sentence without an SLO or measurements', () => {
    expect(pruneReason(record(3, 'search', { state: 'pruned' }), undefined)).toBe(
      'the SLO was lost beyond doubt',
    );
  });
});

describe('lineView', () => {
  it('after a resume, counts search trials from the journal against the new budget', () => {
    const { out, lines } = capture();
    const view = lineView(out, slo);
    view.onEvent({ type: 'study-started', studyId: 's', journalPath: 'j', resumedTrials: 5, maxTrials: 7 });
    for (const number of [10, 11]) {
      const r = record(number, 'search');
      view.onEvent({ type: 'trial-finished', trial: number, record: r });
    }
    view.onEvent({ type: 'trial-finished', trial: 12, record: record(12, 'confirm') });
    expect(lines().slice(1)).toEqual([
      'trial 10 (6/7) feasible, objective 1234 (2.0 s)',
      'trial 11 (7/7) feasible, objective 1234 (2.0 s)',
      'trial 12 (confirm) feasible, objective 1234 (2.0 s)',
    ]);
  });

  it('says which SLO term a pruned trial broke, and why a trial failed', () => {
    const { out, lines } = capture();
    const view = lineView(out, slo);
    view.onEvent({ type: 'study-started', studyId: 's', journalPath: 'j', resumedTrials: 0, maxTrials: 4 });
    const pruned = record(1, 'search', {
      state: 'pruned',
      feasible: false,
      metrics,
      constraints: [-0.2, 0.265, -1],
    });
    view.onEvent({ type: 'trial-finished', trial: 1, record: pruned });
    const failed = record(2, 'search', {
      state: 'failed',
      feasible: false,
      failure: { reason: 'oom', message: 'CUDA out of memory\nlog tail' },
    });
    view.onEvent({ type: 'trial-failed', trial: 2, record: failed });
    expect(lines().slice(1)).toEqual([
      'trial 1 (1/4) pruned: SLO lost beyond doubt after 37 requests: p99 tpot 63.3 ms > 50 ms (2.0 s)',
      'trial 2 (2/4) failed (oom): CUDA out of memory (2.0 s)',
    ]);
  });

  it('does not count a configuration refused before launch against the budget', () => {
    const { out, lines } = capture();
    const view = lineView(out, slo);
    view.onEvent({ type: 'study-started', studyId: 's', journalPath: 'j', resumedTrials: 0, maxTrials: 2 });
    view.onEvent({ type: 'trial-finished', trial: 1, record: record(1, 'search') });
    const refused = record(2, 'search', {
      state: 'invalid',
      feasible: false,
      failureReason: 'no-capacity',
      failure: { reason: 'no-capacity', message: 'tensor-parallel-size 4 needs 4 GPUs, the study has 2' },
      worldSize: 4,
      gpuIndices: [],
    });
    view.onEvent({ type: 'trial-failed', trial: 2, record: refused });
    view.onEvent({ type: 'trial-finished', trial: 3, record: record(3, 'search') });
    expect(lines().slice(1)).toEqual([
      'trial 1 (1/2) feasible, objective 1234 (2.0 s)',
      'trial 2 not launched (no-capacity): tensor-parallel-size 4 needs 4 GPUs, the study has 2',
      'trial 3 (2/2) feasible, objective 1234 (2.0 s)',
    ]);
  });

  it("prints a trial's diagnosis under its line", () => {
    const { out, lines } = capture();
    const view = lineView(out, slo);
    view.onEvent({ type: 'study-started', studyId: 's', journalPath: 'j', resumedTrials: 0, maxTrials: 2 });
    const diagnosis = [
      'KV cache >= 95% for 70% of the run, 412 preemptions: --max-num-seqs too high for this memory',
      'queue of 12.0 requests on average (max 40): the engine admitted less than the load offered, queueing adds to TTFT',
    ];
    view.onEvent({ type: 'trial-finished', trial: 1, record: record(1, 'search', { diagnosis }) });
    expect(lines().slice(1)).toEqual([
      'trial 1 (1/2) feasible, objective 1234 (2.0 s)',
      ...diagnosis.map((d) => `  ${d}`),
    ]);
  });
});
