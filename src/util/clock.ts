// Injectable time source: pure modules and tests take a Clock instead of reading the system time.
import { InvalidArgumentError } from '../errors.js';

/** A monotonic millisecond clock plus wall-clock time for records. */
export interface Clock {
  /** Monotonic milliseconds (sub-millisecond resolution); only differences are meaningful. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch. */
  wallMs(): number;
}

/** The process clock: performance.now() and Date.now(). */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallMs: () => Date.now(),
};

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  private monotonicMs: number;
  private readonly epochMs: number;

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

  /** Moves time forward by `ms` (must be >= 0). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new InvalidArgumentError('ms', ms, 'a number of milliseconds >= 0');
    this.monotonicMs += ms;
  }
}
