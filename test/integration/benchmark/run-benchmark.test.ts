import { afterEach, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../../src/benchmark/run-benchmark.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import type { Clock } from '../../../src/util/clock.js';
import { type Script, type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

// Wall time with sub-millisecond resolution, so client and server timestamps can be compared.
const hiResClock: Clock = {
  now: () => performance.now(),
  wallMs: () => performance.timeOrigin + performance.now(),
};
// A busy machine delays timers and socket reads of this process (client and scripted server alike) by up to a
// few hundred ms; the sub-ms accuracy itself is measured in bench/loadgen.
const SLACK_MS = 250;

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const workload = syntheticWorkload({ inputTokens: 12, outputTokens: 6, seed: 3 });
const base = (url: string) => ({
  endpoint: url,
  model: 'm',
  workload,
  load: { kind: 'concurrency' as const, concurrency: 2 },
  stop: { maxRequests: 4 },
  clock: hiResClock,
});

describe('runBenchmark against the scripted server', () => {
  it('measures TTFT, ITL, TPOT and E2E as scripted and as the server wrote them', async () => {
    server = await startScriptedServer(() => ({
      kind: 'stream',
      ttftMs: 80,
      gapMs: [20, 30, 20, 30, 20],
      tokens: 6,
    }));
    const result = await runBenchmark(base(server.url));
    expect(result.counts).toEqual({ ok: 4, error: 0, canceled: 0, warmup: 0 });
    for (const record of result.records) {
      const served = server.requests.find((s) => s.body['prompt'] === workload.request(record.index).prompt);
      expect(served).toBeDefined();
      const writes = served?.tokenWritesMs ?? [];
      expect(record.tokenChunkMs).toHaveLength(6);
      expect(record.outputTokens).toBe(6);
      expect(record.usageReported).toBe(true);
      // Every chunk was seen after the server wrote it, and not much later.
      record.tokenChunkMs.forEach((atMs, k) => {
        const lagMs = result.startedAtWallMs + atMs - (writes[k] ?? Number.NaN);
        expect(lagMs).toBeGreaterThan(-1);
        expect(lagMs).toBeLessThan(SLACK_MS);
      });
      // TTFT ends at the first token chunk (whatever the machine's speed), after the scripted 80 ms.
      expect(record.firstTokenMs).toBe(record.tokenChunkMs[0]);
      const ttftMs = (record.firstTokenMs ?? 0) - record.sentMs;
      expect(ttftMs).toBeGreaterThanOrEqual(79);
      expect(ttftMs).toBeLessThan(80 + SLACK_MS);
    }
    const m = result.metrics;
    expect(m.requestCount).toBe(4);
    expect(m.errorRate).toBe(0);
    expect(m.ttftMs.p50).toBeGreaterThanOrEqual(79);
    // 5 gaps per request, pooled: 20, 30, 20, 30, 20 -> mean 24 as scripted. The server's timers only run late
    // (gaps as written are >= scripted); a first chunk the client reads late shortens what it measures, so the
    // measured mean is held against the gaps the server actually wrote, within the client's slack.
    const written = server.requests.map((s) => s.tokenWritesMs);
    const writtenMean =
      written.reduce((sum, w) => sum + ((w[5] as number) - (w[0] as number)), 0) / (written.length * 5);
    expect(writtenMean).toBeGreaterThanOrEqual(23);
    expect(Math.abs((m.itlMs.mean as number) - writtenMean)).toBeLessThan(SLACK_MS / 5);
    expect(m.itlMs.mean).toBeLessThan(24 + SLACK_MS / 5);
    // TPOT = (E2E - TTFT) / (6 - 1) = 120 / 5 as scripted; the same reading against what was written.
    expect(Math.abs((m.tpotMs.mean as number) - writtenMean)).toBeLessThan(SLACK_MS / 5);
    expect(m.tpotMs.mean).toBeLessThan(24 + SLACK_MS / 5);
    // The same figures read off the records exactly: ITL pools the gaps between chunks, TPOT excludes the first token.
    const gaps = result.records.flatMap((r) =>
      r.tokenChunkMs.slice(1).map((t, k) => t - (r.tokenChunkMs[k] as number)),
    );
    expect(m.itlMs.mean).toBeCloseTo(gaps.reduce((a, b) => a + b, 0) / gaps.length, 6);
    const tpots = result.records.map((r) => (r.endMs - (r.firstTokenMs as number)) / 5);
    expect(m.tpotMs.mean).toBeCloseTo(tpots.reduce((a, b) => a + b, 0) / tpots.length, 6);
    expect(m.e2eMs.mean).toBeGreaterThanOrEqual(199);
    expect(m.outputTokensPerS).toBeCloseTo((6 * 4) / result.durationS, 6);
    expect(m.inputTokensPerS).toBeCloseTo((12 * 4) / result.durationS, 6);
    expect(result.promptTokenCheck).toEqual({ compared: 4, mismatched: 0, maxAbsErrorTokens: 0 });
  });

  it.each([
    ['completions', 'an empty-text first token chunk', { emptyTextAt: [0] }],
    ['chat', 'a role-only chunk sent before any token', {}],
  ] as const)('%s: TTFT ends at the first token chunk, not at %s', async (api, _what, extra) => {
    server = await startScriptedServer(() => ({
      kind: 'stream',
      ttftMs: 90,
      gapMs: 10,
      tokens: 3,
      ...extra,
    }));
    const result = await runBenchmark({ ...base(server.url), api, stop: { maxRequests: 2 } });
    expect(result.counts.ok).toBe(2);
    for (const r of result.records) expect(r.tokenChunkMs).toHaveLength(3);
    expect(result.metrics.ttftMs.mean).toBeGreaterThanOrEqual(89);
    expect(result.metrics.ttftMs.mean).toBeLessThan(90 + SLACK_MS);
  });

  it('leaves TPOT and ITL undefined (not 0) for one-token outputs', async () => {
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 5, gapMs: 5, tokens: 1 }));
    const result = await runBenchmark(base(server.url));
    expect(result.metrics.tpotMs).toMatchObject({ mean: undefined, p50: undefined, p99: undefined });
    expect(result.metrics.itlMs.mean).toBeUndefined();
    expect(result.metrics.ttftMs.mean).toBeGreaterThan(0);
  });

  it('counts token chunks and keeps the intended prompt length when the server reports no usage', async () => {
    server = await startScriptedServer(() => ({
      kind: 'stream',
      ttftMs: 5,
      gapMs: 2,
      tokens: 4,
      usage: false,
    }));
    const result = await runBenchmark(base(server.url));
    for (const r of result.records) {
      expect(r).toMatchObject({ usageReported: false, outputTokens: 4, promptTokens: 12 });
    }
    expect(result.promptTokenCheck.compared).toBe(0);
  });

  it('uses usage counts over chunk counts when chunks carry several tokens', async () => {
    server = await startScriptedServer(() => ({
      kind: 'stream',
      ttftMs: 10,
      gapMs: 10,
      tokens: 3,
      tokensPerChunk: 2,
    }));
    const result = await runBenchmark(base(server.url));
    for (const r of result.records) expect(r.outputTokens).toBe(6);
    // TPOT = (E2E - TTFT) / (6 - 1): about 20 ms over 5 tokens.
    expect(result.metrics.tpotMs.mean).toBeLessThan(result.metrics.itlMs.mean ?? 0);
  });

  it('sends the API key, forced output length, usage request and extra body', async () => {
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 1, gapMs: 1, tokens: 2 }));
    await runBenchmark({ ...base(server.url), apiKey: 'sk-test-0123456789', extraBody: { temperature: 0 } });
    const seen = server.requests[0];
    expect(seen?.headers['authorization']).toBe('Bearer sk-test-0123456789');
    expect(seen?.body).toMatchObject({
      model: 'm',
      max_tokens: 6,
      stream: true,
      stream_options: { include_usage: true },
      ignore_eos: true,
      min_tokens: 6,
      temperature: 0,
    });
  });

  it('excludes warm-up requests from the metrics', async () => {
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 1, gapMs: 1, tokens: 2 }));
    const result = await runBenchmark({ ...base(server.url), warmupRequests: 3 });
    expect(result.counts).toMatchObject({ ok: 4, warmup: 3 });
    expect(result.metrics.requestCount).toBe(4);
    expect(server.requests).toHaveLength(7);
    const firstMeasured = Math.min(...result.records.filter((r) => !r.warmup).map((r) => r.sentMs));
    const lastWarmupEnd = Math.max(...result.records.filter((r) => r.warmup).map((r) => r.endMs));
    expect(firstMeasured).toBeGreaterThanOrEqual(lastWarmupEnd);
  });

  it('computes goodput and attainment with failures as misses', async () => {
    const scripts: Script[] = [
      { kind: 'stream', ttftMs: 5, gapMs: 1, tokens: 2 },
      { kind: 'stream', ttftMs: 400, gapMs: 1, tokens: 2 },
      { kind: 'status', status: 500, body: 'boom' },
      { kind: 'stream', ttftMs: 5, gapMs: 1, tokens: 2 },
    ];
    server = await startScriptedServer((_b, i) => scripts[i] as Script);
    const result = await runBenchmark({
      ...base(server.url),
      load: { kind: 'concurrency', concurrency: 1 },
      slo: { terms: [{ metric: 'ttft', stat: 'p99', maxMs: 250 }] },
    });
    expect(result.metrics.attainment).toBe(0.5);
    expect(result.metrics.errorRate).toBe(0.25);
    expect(result.metrics.goodputRps).toBeCloseTo(2 / result.durationS, 6);
  });

  it('stopWhen ends the run at once: in-flight requests cancelled and left out, nothing sent after', async () => {
    server = await startScriptedServer((_body, i) => ({
      kind: 'stream',
      ttftMs: i < 2 ? 10 : 400,
      gapMs: 5,
      tokens: 3,
    }));
    const started = performance.now();
    const closed = await runBenchmark({
      ...base(server.url),
      load: { kind: 'concurrency', concurrency: 2 },
      stop: { maxRequests: 40 },
      stopWhen: (record) => record.index >= 1,
    });
    expect(closed.stoppedEarly).toBe(true);
    expect(closed.counts.ok).toBeLessThan(40);
    expect(closed.metrics.requestCount).toBe(closed.counts.ok + closed.counts.error);
    expect(server.requests.length).toBeLessThanOrEqual(closed.records.length);
    // An open loop asleep until its next arrival wakes up and ends too (rate 0.2/s: next arrival in seconds).
    const open = await runBenchmark({
      ...base(server.url),
      load: { kind: 'rate', ratePerS: 0.2, arrival: 'constant' },
      stop: { maxRequests: 10 },
      stopWhen: () => true,
    });
    expect(open.stoppedEarly).toBe(true);
    expect(open.counts.ok).toBe(1);
    expect(performance.now() - started).toBeLessThan(3_000);
    const whole = await runBenchmark(base(server.url));
    expect(whole.stoppedEarly).toBe(false);
  });
});
