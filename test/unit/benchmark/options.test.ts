import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseEndpoint, validateBenchmarkOptions } from '../../../src/benchmark/benchmark-options.js';
import {
  exportRecordsJsonl,
  parseRecordsJsonl,
  recordsToJsonl,
} from '../../../src/benchmark/export-records.js';
import { stopReached, validateLoad, validateStop } from '../../../src/benchmark/load-spec.js';
import { buildHeaders, buildRequestBody } from '../../../src/benchmark/request-body.js';
import type { RequestRecord } from '../../../src/benchmark/request-record.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import { InvalidOptionError } from '../../../src/errors.js';

const workload = syntheticWorkload({ inputTokens: 4, outputTokens: 3 });
const valid = {
  endpoint: 'http://127.0.0.1:8000',
  model: 'm',
  workload,
  load: { kind: 'concurrency' as const, concurrency: 2 },
  stop: { maxRequests: 5 },
};

describe('option validation', () => {
  it.each([
    [{ endpoint: 'ftp://x' }, 'endpoint'],
    [{ endpoint: 'not a url' }, 'endpoint'],
    [{ model: '' }, 'model'],
    [{ api: 'embeddings' }, 'api'],
    [{ load: { kind: 'concurrency', concurrency: 0 } }, 'load.concurrency'],
    [{ load: { kind: 'rate', ratePerS: -1 } }, 'load.ratePerS'],
    [{ load: { kind: 'rate', ratePerS: 1, arrival: 'weibull' } }, 'load.arrival'],
    [{ load: { kind: 'rate', ratePerS: 1, burstiness: 0 } }, 'load.burstiness'],
    [{ load: { kind: 'rate', ratePerS: 1, maxConcurrency: 1.5 } }, 'load.maxConcurrency'],
    [{ load: { kind: 'concurrency', concurrency: 1, rampUpMs: -5 } }, 'load.rampUpMs'],
    [{ load: { kind: 'burst' } }, 'load.kind'],
    [{ stop: {} }, 'stop'],
    [{ stop: { maxRequests: 0 } }, 'stop.maxRequests'],
    [{ stop: { maxDurationMs: 10, drain: 'later' } }, 'stop.drain'],
    [{ warmupRequests: -1 }, 'warmupRequests'],
    [{ workloadOffset: 1.5 }, 'workloadOffset'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ percentiles: [50, 101] }, 'percentiles[1]'],
    [{ workload: {} }, 'workload'],
  ])('rejects %o naming %s', (patch, option) => {
    const run = () => validateBenchmarkOptions({ ...valid, ...patch } as never);
    expect(run).toThrow(InvalidOptionError);
    expect(run).toThrow(`Invalid option ${option}:`);
  });

  it('accepts valid options', () => {
    expect(() => validateBenchmarkOptions(valid)).not.toThrow();
    expect(() =>
      validateLoad({ kind: 'rate', ratePerS: 3, arrival: 'gamma', burstiness: 0.5, maxConcurrency: 4 }),
    ).not.toThrow();
    expect(() => validateStop({ maxDurationMs: 1_000, drain: 'cancel' })).not.toThrow();
  });

  it.each([
    ['http://h:1/', 'http://h:1'],
    ['http://h:1/v1', 'http://h:1'],
    ['https://h/api/v1/', 'https://h/api'],
  ])('normalises endpoint %s to %s', (input, expected) => {
    expect(normaliseEndpoint(input)).toBe(expected);
  });

  it.each([
    [{ maxRequests: 3 }, 2, 99_999, false],
    [{ maxRequests: 3 }, 3, 0, true],
    [{ maxDurationMs: 100 }, 50, 99, false],
    [{ maxDurationMs: 100 }, 0, 100, true],
  ])('stopReached(%o, issued %s, %s ms) = %s', (stop, issued, elapsed, expected) => {
    expect(stopReached(stop, issued, elapsed)).toBe(expected);
  });
});

describe('request bodies', () => {
  const request = { prompt: 'a b c', maxTokens: 7 };

  it.each([
    ['completions', { prompt: 'a b c' }],
    ['chat', { messages: [{ role: 'user', content: 'a b c' }] }],
  ] as const)('%s body streams, asks for usage and forces the output length', (api, shape) => {
    expect(buildRequestBody({ ...valid, api }, request)).toEqual({
      model: 'm',
      ...shape,
      max_tokens: 7,
      stream: true,
      stream_options: { include_usage: true },
      ignore_eos: true,
      min_tokens: 7,
    });
  });

  it('drops usage and forcing when disabled, and lets extraBody override', () => {
    const body = buildRequestBody(
      { ...valid, includeUsage: false, forceOutputLength: false, extraBody: { max_tokens: 1, top_k: 5 } },
      request,
    );
    expect(body).toEqual({ model: 'm', prompt: 'a b c', max_tokens: 1, stream: true, top_k: 5 });
  });

  it('puts the API key only in the Authorization header', () => {
    expect(buildHeaders('sk-abc')).toMatchObject({ authorization: 'Bearer sk-abc' });
    expect(buildHeaders(undefined)).not.toHaveProperty('authorization');
  });
});

describe('JSONL export', () => {
  const records: RequestRecord[] = [
    {
      index: 1,
      warmup: false,
      status: 'error',
      error: 'HTTP 500: x',
      httpStatus: 500,
      sentMs: 5,
      tokenChunkMs: [],
      endMs: 9,
      maxTokens: 3,
      usageReported: false,
    },
    {
      index: 0,
      warmup: true,
      status: 'ok',
      sentMs: 0.25,
      firstTokenMs: 1.5,
      tokenChunkMs: [1.5, 2.75],
      endMs: 3,
      maxTokens: 3,
      outputTokens: 2,
      usageReported: true,
    },
  ];

  it('writes one line per record in index order and reads them back unchanged', async () => {
    const text = recordsToJsonl({ records, startedAtWallMs: 1_700_000_000_000.5 });
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ index: 0, runStartedAtWallMs: 1_700_000_000_000.5 });
    expect(parseRecordsJsonl(text)).toEqual([records[1], records[0]]);
  });

  it('exports to a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'records-'));
    try {
      const path = join(dir, 'run.jsonl');
      await exportRecordsJsonl({ records, startedAtWallMs: 0 }, path);
      expect(parseRecordsJsonl(await readFile(path, 'utf8'))).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
