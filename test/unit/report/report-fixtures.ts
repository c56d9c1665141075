// Shared inputs of the report tests: the fixture journals and small hand-made trials.
import { fileURLToPath } from 'node:url';
import type { JournalContents, JournalHeader, TrialEntry } from '../../../src/tune/journal/journal-types.js';
import { readJournal } from '../../../src/tune/journal/read-journal.js';
import type { TrialRecord } from '../../../src/tune/trial-record.js';

/** Path of a journal under test/fixtures/journals. */
export const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/journals/${name}.jsonl`, import.meta.url));

/** Reads a fixture journal. */
export const fixtureJournal = (name: 'finished-study' | 'interrupted-study'): Promise<JournalContents> =>
  readJournal(fixturePath(name));

/** A header like the study writes. */
export function header(options: Record<string, unknown> = {}): JournalHeader {
  return {
    type: 'header',
    formatVersion: 1,
    studyId: 'unit-study',
    fingerprint: 'f',
    seed: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    library: { name: 'inference-autotuner', version: '0.1.0' },
    options: { runtime: 'sim', model: 'llama-3.1-8b', objective: 'maximize_throughput', ...options },
  };
}

const latency = (p50: number) => ({ mean: p50, p50, p90: p50 * 1.2, p95: p50 * 1.3, p99: p50 * 1.5 });

/** A complete search trial with a throughput objective. */
export function trial(
  number: number,
  params: TrialRecord['params'],
  throughput: number,
  extra: Partial<TrialRecord> = {},
): TrialRecord {
  return {
    number,
    params,
    state: 'complete',
    phase: 'search',
    feasible: true,
    values: [-throughput],
    constraints: [],
    objective: [throughput],
    metrics: {
      ttftMs: latency(100),
      tpotMs: latency(20),
      itlMs: latency(20),
      e2eMs: latency(2000),
      requestsPerS: throughput / 100,
      inputTokensPerS: throughput * 4,
      outputTokensPerS: throughput,
      totalTokensPerS: throughput * 5,
      errorRate: 0,
      requestCount: 100,
    },
    penalty: 1,
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    durationMs: 60_000,
    ...extra,
  };
}

/** A failed search trial. */
export function failedTrial(
  number: number,
  params: TrialRecord['params'],
  reason: 'oom' | 'crash',
): TrialRecord {
  return {
    number,
    params,
    state: 'failed',
    phase: 'search',
    feasible: false,
    failureReason: reason,
    failure: { reason, message: `${reason} at start-up` },
    worldSize: 1,
    gpuIndices: [0],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z',
    durationMs: 10_000,
  };
}

/** A journal from trials (entries as the study writes them: the record spread beside `type`). */
export function journalOf(trials: readonly TrialRecord[], options: Record<string, unknown> = {}) {
  return {
    header: header(options),
    entries: trials.map((t): TrialEntry => ({ type: 'trial', ...t })),
  };
}

/** A search configuration wider than the study's GPUs, refused before launch (`no-capacity`). */
export function refusedTrial(number: number, params: TrialRecord['params']): TrialRecord {
  return {
    ...failedTrial(number, params, 'crash'),
    state: 'invalid',
    failureReason: 'no-capacity',
    failure: { reason: 'no-capacity', message: 'needs more GPUs than are available' },
    gpuIndices: [],
  };
}
