// Injectable time source: pure modules and tests take a Clock instead of reading the system time.
import { setTimeout as realSleep } from 'node:timers/promises';
import { InvalidArgumentError } from '../errors.js';

/** A monotonic millisecond clock plus wall-clock time for records. */
export interface Clock {
  /** Monotonic milliseconds (sub-millisecond resolution); only differences are meaningful. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch. */
  wallMs(): number;
  /**
   * Resolves once `ms` of this clock's time has passed; rejects with the signal's reason when it aborts.
   * Timeouts and deadlines wait through it. @default a real timer (see `sleepOn`)
   */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The process clock: performance.now(), Date.now() and real timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallMs: () => Date.now(),
  sleep: (ms, signal) => realSleep(ms, undefined, signal ? { signal } : {}),
};

/** Waits `ms` on `clock` (a real timer when the clock has no `sleep`). */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return clock.sleep ? clock.sleep(ms, signal) : realSleep(ms, undefined, signal ? { signal } : {});
}

interface Sleeper {
  dueMs: number;
  resolve: () => void;
}

/** A clock that only moves when told to; its sleeps end when `advance` reaches them. For tests and simulations. */
export class ManualClock implements Clock {
  private monotonicMs: number;
  private readonly epochMs: number;
  private readonly sleepers = new Set<Sleeper>();

  constructor(startMs = 0, epochMs = 1_700_000_000_000) {
    this.monotonicMs = startMs;
    this.epochMs = epochMs;
  }

  now(): number {
    return this.monotonicMs;
  }

  wallMs(): number {
    return this.epochMs + this.monotonicMs;
  }

  /** Resolves when `advance` has moved time `ms` past now (at once for `ms <= 0`). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.sleepers.delete(sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        dueMs: this.monotonicMs + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sleeps not yet over (for tests that advance once something waits). */
  get pendingSleeps(): number {
    return this.sleepers.size;
  }

  /** Moves time forward by `ms` (must be >= 0) and ends every sleep that is due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new InvalidArgumentError('ms', ms, 'a number of milliseconds >= 0');
    this.monotonicMs += ms;
    const due = [...this.sleepers]
      .filter((s) => s.dueMs <= this.monotonicMs)
      .sort((a, b) => a.dueMs - b.dueMs);
    for (const sleeper of due) {
      this.sleepers.delete(sleeper);
      sleeper.resolve();
    }
  }
}
