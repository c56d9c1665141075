// Trial telemetry, diagnosis and the manifest's versions go through the journal codec unchanged; journals written
// before them stay readable.
import { describe, expect, it } from 'vitest';
import { decodeJournalEntry, encodeJournalLine } from '../../../../src/tune/journal/journal-codec.js';
import type { TrialRecord } from '../../../../src/tune/trial-record.js';

const where = { path: 'j.jsonl', line: 2 };
const base: TrialRecord = {
  number: 3,
  params: { 'max-num-seqs': 256 },
  state: 'complete',
  phase: 'search',
  feasible: false,
  worldSize: 1,
  gpuIndices: [0],
  startedAt: '2026-12-04T00:00:00.000Z',
  finishedAt: '2026-12-04T00:00:10.000Z',
  durationMs: 10_000,
};

describe('trial telemetry in the journal', () => {
  it('round-trips summaries, problems, the diagnosis and both versions exactly', () => {
    const record: TrialRecord = {
      ...base,
      telemetry: {
        engine: {
          samples: 12,
          windowMs: 11_000,
          series: {
            kvCacheUsage: { kind: 'gauge', mean: 0.93, max: 1, saturationAt: 0.95, saturatedShare: 0.6 },
            preemptions: { kind: 'counter', delta: 28, perS: 2.5 },
          },
          prefixCacheHitRate: 0.1,
        },
        gpu: { gpus: 2, samples: 11, windowMs: 10_000, utilizationPct: { mean: 35, max: 60 } },
        problems: ['GPU sampling: nvidia-smi ended during the run (exit code 9)'],
      },
      diagnosis: [
        'KV cache >= 95% for 60% of the run, 28 preemptions: --max-num-seqs too high for this memory',
      ],
      manifest: {
        runtime: 'vllm',
        engineVersion: '0.11.0',
        registryVersion: 'vLLM 0.22.0',
        command: 'vllm',
        argv: ['vllm', 'serve', 'm'],
        env: {},
        gpus: [],
        controller: 'local',
        workload: {},
        load: {},
        seed: 1,
        library: { name: 'inference-autotuner', version: '0.1.0' },
      },
    };
    const decoded = decodeJournalEntry(encodeJournalLine({ type: 'trial', ...record }), 2, where);
    expect(decoded).toStrictEqual({ type: 'trial', ...record });
  });

  it('round-trips KV usage derived from /slots with where it came from', () => {
    const record: TrialRecord = {
      ...base,
      params: { parallel: 4 },
      telemetry: {
        engine: {
          samples: 20,
          windowMs: 4_841.25,
          series: {
            running: { kind: 'gauge', mean: 3.35, max: 4 },
            kvCacheUsage: { kind: 'gauge', mean: 0.15, max: 0.251, saturationAt: 0.95, saturatedShare: 0 },
          },
          kvCacheUsageFrom: '/slots',
        },
      },
    };
    const decoded = decodeJournalEntry(encodeJournalLine({ type: 'trial', ...record }), 2, where);
    expect(decoded).toStrictEqual({ type: 'trial', ...record });
    const bad = encodeJournalLine({ type: 'trial', ...record }).replace('"/slots"', '7');
    expect(() => decodeJournalEntry(bad, 2, where)).toThrow(/kvCacheUsageFrom/);
  });

  it('reads a trial journaled without telemetry', () => {
    const decoded = decodeJournalEntry(JSON.stringify({ type: 'trial', ...base }), 2, where) as TrialRecord;
    expect(decoded.telemetry).toBeUndefined();
    expect(decoded.diagnosis).toBeUndefined();
  });
});
