// The two load drivers: closed-loop workers and open-loop arrivals (optionally capped in flight).
import { setTimeout as sleep } from 'node:timers/promises';
import { createRng } from '../util/rng.js';
import { createArrivalSchedule } from './arrival-schedule.js';
import type { ClientGuard } from './client-guard.js';
import { type RateLoad, type StopSpec, stopReached } from './load-spec.js';
import type { RequestRecord } from './request-record.js';

/** What a driver needs from the run: the clock, the stop rule and a way to send request i. */
export interface DriverContext {
  now: () => number;
  stop: StopSpec;
  /** Aborts the driver's waits (the caller's signal). */
  signal?: AbortSignal | undefined;
  guard?: ClientGuard | undefined;
  /** Once aborted (a duration stop cutting requests in flight), no further request is issued. */
  cut?: AbortSignal | undefined;
  /** Sends measured request `i` (0-based); `scheduledMs` is when it was due on the run clock. */
  send: (i: number, scheduledMs?: number) => Promise<RequestRecord>;
}

/** Settles every promise, then rethrows the first rejection (so nothing is left running behind an error). */
async function allOrFirstError(promises: Iterable<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Sleeps; rejects when the caller aborts, returns at once when the run is cut (the loops then stop). */
async function pause(ctx: DriverContext, ms: number): Promise<void> {
  if (!ctx.cut) return sleep(ms, undefined, { signal: ctx.signal });
  if (ctx.cut.aborted) return;
  const wake = ctx.signal ? AbortSignal.any([ctx.signal, ctx.cut]) : ctx.cut;
  try {
    await sleep(ms, undefined, { signal: wake });
  } catch (error) {
    if (ctx.signal?.aborted || !ctx.cut.aborted) throw error;
  }
}

/**
 * Closed loop: `concurrency` workers each send a request, await it and send the next, until the stop rule
 * says no more may be issued. With a ramp-up, worker w starts at w / concurrency of it.
 */
export async function runClosedLoop(ctx: DriverContext, concurrency: number, rampUpMs = 0): Promise<void> {
  const startMs = ctx.now();
  let issued = 0;
  const worker = async (w: number): Promise<void> => {
    if (rampUpMs > 0 && w > 0) await pause(ctx, (w * rampUpMs) / concurrency);
    while (!ctx.signal?.aborted && !ctx.cut?.aborted && !stopReached(ctx.stop, issued, ctx.now() - startMs)) {
      await ctx.send(issued++);
    }
  };
  await allOrFirstError(Array.from({ length: concurrency }, (_, w) => worker(w)));
}

/**
 * Open loop: request i is sent at its scheduled offset whatever the server does. With `maxConcurrency`, a due
 * request waits for a free slot. The lag between when a request could have gone (due and a slot free) and
 * when it went is the client's own lateness, reported to the guard.
 */
export async function runOpenLoop(ctx: DriverContext, load: RateLoad, seed: number): Promise<void> {
  const schedule = createArrivalSchedule(load, createRng(seed).fork('arrivals'));
  const startMs = ctx.now();
  const maxInFlight = load.maxConcurrency ?? Number.POSITIVE_INFINITY;
  const inFlight = new Set<Promise<unknown>>();
  try {
    for (let i = 0; ; i++) {
      if (ctx.stop.maxRequests !== undefined && i >= ctx.stop.maxRequests) break;
      const dueMs = startMs + schedule(i);
      if (ctx.stop.maxDurationMs !== undefined && dueMs - startMs >= ctx.stop.maxDurationMs) break;
      // Timers have millisecond granularity and may fire a fraction early: wait again rather than send early.
      for (let waitMs = dueMs - ctx.now(); waitMs > 0; waitMs = dueMs - ctx.now()) {
        await pause(ctx, Math.ceil(waitMs));
        if (ctx.cut?.aborted) break;
      }
      let readyMs = dueMs;
      if (inFlight.size >= maxInFlight) {
        while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
        readyMs = Math.max(dueMs, ctx.now());
      }
      if (ctx.signal?.aborted || ctx.cut?.aborted) break;
      ctx.guard?.recordSendLag(ctx.now() - readyMs);
      const sending: Promise<unknown> = ctx.send(i, dueMs).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  } finally {
    await Promise.allSettled(inFlight);
  }
}
