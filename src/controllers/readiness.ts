// The one readiness loop of every controller: poll a wait strategy with capped backoff until ready, exit, timeout or abort.
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadinessTimeoutError, ServerExitedError } from '../errors.js';
import { type Clock, sleepOn, systemClock } from '../util/clock.js';
import type { ReadinessContext, WaitStrategy } from './wait-strategies.js';

/** How a server ended: exit code and signal, or a ready-made error (e.g. a pod that cannot be scheduled). */
export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
  /** When set, readiness throws this error instead of a `ServerExitedError`. */
  error?: Error;
}

/** Options of `waitForReady`. */
export interface WaitForReadyOptions {
  strategy: WaitStrategy;
  baseUrl: string;
  /** Resolves when the server can no longer become ready (process, container or pod ended). */
  exited: Promise<ExitInfo>;
  /** The current (redacted) log tail, attached to errors. */
  logs: () => string | Promise<string>;
  /** Whole-wait budget. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** First delay between probes. @default 50 */
  initialIntervalMs?: number;
  /** Cap of the delay between probes. @default 500 */
  maxIntervalMs?: number;
  /** Growth of the delay after each failed probe. @default 1.5 */
  backoffFactor?: number;
  /**
   * Subscribes to server output (e.g. `ring.onLine`): a new line cuts the current delay short, so a
   * server that logs when it turns ready is probed at once. Returns the unsubscribe function.
   */
  wake?: (listener: () => void) => () => void;
  /** Lines of log tail attached to errors. @default 50 */
  tailLines?: number;
  /** Time source of the budget and of `waitedMs`. @default systemClock */
  clock?: Clock;
}

/** Result of a successful wait. */
export interface ReadyInfo {
  /** Probes made, including the successful one. */
  probes: number;
  /** Time spent waiting, ms. */
  waitedMs: number;
}

function lastLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.slice(Math.max(0, lines.length - n)).join('\n');
}

/**
 * Polls `strategy` (first probe at once, then from `initialIntervalMs` growing to `maxIntervalMs`)
 * until it reports ready. Fails at once with `ServerExitedError` (exit code, log tail) when `exited`
 * resolves, with `ReadinessTimeoutError` (timeoutMs, log tail, last probe) after `timeoutMs`, and
 * rethrows the caller's abort reason unchanged.
 */
export async function waitForReady(options: WaitForReadyOptions): Promise<ReadyInfo> {
  const clock = options.clock ?? systemClock;
  const startedMs = clock.now();
  const tailLines = options.tailLines ?? 50;
  const maxIntervalMs = options.maxIntervalMs ?? 500;
  const factor = options.backoffFactor ?? 1.5;
  let intervalMs = options.initialIntervalMs ?? 50;
  const minGapMs = Math.min(intervalMs, 20);
  options.signal?.throwIfAborted();

  const stop = new AbortController();
  let exitInfo: ExitInfo | undefined;
  void options.exited.then((info) => {
    exitInfo = info;
    stop.abort(new Error('server exited'));
  });
  // The budget runs on the injected clock (a manual clock in tests); probe pacing stays in real time.
  const budget = new AbortController();
  void sleepOn(clock, options.timeoutMs, budget.signal).then(
    () => stop.abort(new Error('readiness timeout')),
    () => {},
  );
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const context: ReadinessContext = { baseUrl: options.baseUrl, logs: options.logs, signal };

  let wakeUp: (() => void) | undefined;
  const unsubscribe = options.wake?.(() => wakeUp?.());
  let probes = 0;
  let lastDetail = 'no probe answered yet';
  const failure = async (): Promise<Error> => {
    if (options.signal?.aborted) return options.signal.reason as Error;
    const tail = lastLines(await options.logs(), tailLines);
    if (exitInfo) return exitInfo.error ?? new ServerExitedError(exitInfo.exitCode, tail, exitInfo.signal);
    return new ReadinessTimeoutError(
      options.timeoutMs,
      tail,
      `${options.strategy.description}; last: ${lastDetail}`,
    );
  };
  try {
    // Give an already-settled exit a chance to be seen before the first probe.
    await Promise.resolve();
    for (;;) {
      if (signal.aborted) throw await failure();
      probes += 1;
      let result: Awaited<ReturnType<WaitStrategy['check']>>;
      try {
        result = await options.strategy.check(context);
      } catch (error) {
        // A probe cut short by the exit, the budget or the caller reports that, never the internal abort reason.
        if (signal.aborted) throw await failure();
        throw error;
      }
      lastDetail = result.detail;
      if (signal.aborted) throw await failure();
      if (result.ready) return { probes, waitedMs: clock.now() - startedMs };
      const probedAt = clock.now();
      try {
        await pause(intervalMs, signal, (wake) => {
          wakeUp = wake;
        });
      } catch {
        throw await failure();
      }
      // A burst of log lines must not turn into a burst of probes.
      const sinceMs = clock.now() - probedAt;
      if (sinceMs < minGapMs) {
        try {
          await sleep(minGapMs - sinceMs, undefined, { signal });
        } catch {
          throw await failure();
        }
      }
      intervalMs = Math.min(maxIntervalMs, intervalMs * factor);
    }
  } finally {
    unsubscribe?.();
    budget.abort();
    if (!stop.signal.aborted) stop.abort(new Error('readiness wait finished'));
  }
}

/** Sleeps `ms` unless woken earlier through the function handed to `register`; rejects when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal, register: (wake: () => void) => void): Promise<void> {
  const cut = new AbortController();
  register(() => cut.abort());
  try {
    await sleep(ms, undefined, { signal: AbortSignal.any([signal, cut.signal]) });
  } catch (error) {
    if (signal.aborted) throw error;
  } finally {
    register(() => {});
  }
}
