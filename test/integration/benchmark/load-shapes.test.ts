import { afterEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src/benchmark/request-record.js';
import { runBenchmark } from '../../../src/benchmark/run-benchmark.js';
import { syntheticWorkload } from '../../../src/benchmark/synthetic-workload.js';
import type { Workload } from '../../../src/benchmark/workload.js';
import { createLogger } from '../../../src/util/logger.js';
import { type ScriptedServer, startScriptedServer } from '../../support/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const workload = syntheticWorkload({ inputTokens: 8, outputTokens: 3 });
const quiet = createLogger({ level: 'silent' });

/** Most requests in flight at once, from the records' send and end times. */
function peakInFlight(records: readonly RequestRecord[]): number {
  const events = records.flatMap((r) => [
    [r.sentMs, 1],
    [r.endMs, -1],
  ]);
  events.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  let peak = 0;
  for (const [, delta] of events) {
    now += delta as number;
    peak = Math.max(peak, now);
  }
  return peak;
}

describe('load shapes', () => {
  it('open loop: requests go out on their schedule, capped in flight by maxConcurrency', async () => {
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 30, gapMs: 10, tokens: 3 }));
    const result = await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload,
      load: { kind: 'rate', ratePerS: 200, arrival: 'poisson', maxConcurrency: 3 },
      stop: { maxRequests: 12 },
      logger: quiet,
    });
    expect(result.counts.ok).toBe(12);
    expect(peakInFlight(result.records)).toBeLessThanOrEqual(3);
    for (const r of result.records) {
      expect(r.scheduledMs).toBeDefined();
      expect(r.sentMs).toBeGreaterThanOrEqual((r.scheduledMs ?? 0) - 1e-6);
    }
  });

  it('open loop without a cap follows the schedule whatever the server does', async () => {
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 200, gapMs: 10, tokens: 2 }));
    const result = await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload,
      load: { kind: 'rate', ratePerS: 50, arrival: 'constant' },
      stop: { maxRequests: 8 },
      logger: quiet,
    });
    // 8 requests 20 ms apart, each taking over 200 ms: all in flight together.
    expect(peakInFlight(result.records)).toBe(8);
    const sends = result.records.map((r) => r.sentMs).sort((a, b) => a - b);
    expect((sends[7] as number) - (sends[0] as number)).toBeGreaterThanOrEqual(139);
  });

  it('closed loop with a ramp-up starts workers spread over the ramp', async () => {
    // Requests outlast the ramp, so each worker sends exactly one.
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 400, gapMs: 5, tokens: 2 }));
    const result = await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload,
      load: { kind: 'concurrency', concurrency: 4, rampUpMs: 300 },
      stop: { maxRequests: 4 },
      logger: quiet,
    });
    const sends = result.records.map((r) => r.sentMs).sort((a, b) => a - b);
    // Workers start at 0, 75, 150 and 225 ms.
    expect((sends[1] as number) - (sends[0] as number)).toBeGreaterThanOrEqual(70);
    expect((sends[3] as number) - (sends[0] as number)).toBeGreaterThanOrEqual(220);
    expect(peakInFlight(result.records)).toBe(4);
  });

  it('marks the run client-limited when the client falls behind its own schedule', async () => {
    server = await startScriptedServer(() => ({ kind: 'stream', ttftMs: 1, gapMs: 1, tokens: 2 }));
    const busy: Workload = {
      name: 'busy',
      request: (i) => {
        // Building each request blocks the event loop for 40 ms, far longer than the 5 ms between arrivals.
        const until = performance.now() + 40;
        while (performance.now() < until) {}
        return workload.request(i);
      },
    };
    const result = await runBenchmark({
      endpoint: server.url,
      model: 'm',
      workload: busy,
      load: { kind: 'rate', ratePerS: 200, arrival: 'constant' },
      stop: { maxRequests: 10 },
      logger: quiet,
    });
    expect(result.clientLimited).toBe(true);
    expect(result.client.sendLagP99Ms).toBeGreaterThan(100);
    expect(result.client.reasons.join(' ')).toMatch(/send lag/);
  });
});
