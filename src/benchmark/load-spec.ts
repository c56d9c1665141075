// How load is offered: closed-loop concurrency or open-loop arrivals at a rate, and when to stop.
import { InvalidOptionError } from '../errors.js';

/** Inter-arrival distribution of an open-loop load. */
export type ArrivalProcess = 'constant' | 'poisson' | 'gamma';

/** Closed loop: `concurrency` workers, each sending its next request as soon as the previous one ends. */
export interface ConcurrencyLoad {
  kind: 'concurrency';
  concurrency: number;
  /** Workers start evenly spread over this many ms. @default 0 */
  rampUpMs?: number;
}

/** Open loop: requests arrive on a schedule whatever the server does (optionally capped in flight). */
export interface RateLoad {
  kind: 'rate';
  /** Mean arrival rate in requests per second. */
  ratePerS: number;
  /** @default 'poisson' */
  arrival?: ArrivalProcess;
  /**
   * Gamma shape for `arrival: 'gamma'`: 1 is Poisson, below 1 burstier, above 1 more regular
   * (squared coefficient of variation of the gaps = 1 / burstiness). @default 1
   */
  burstiness?: number;
  /** At most this many requests in flight; later arrivals wait for a free slot. @default unbounded */
  maxConcurrency?: number;
  /** The rate rises linearly from 0 to `ratePerS` over this many ms. @default 0 */
  rampUpMs?: number;
}

/** The offered load of a run. */
export type LoadSpec = ConcurrencyLoad | RateLoad;

/** When a run stops issuing measured requests (whichever limit comes first). */
export interface StopSpec {
  /** Measured requests to send (warm-up excluded). */
  maxRequests?: number;
  /** Stop issuing new requests after this many ms of the measured phase. */
  maxDurationMs?: number;
  /**
   * What happens to requests still in flight when `maxDurationMs` runs out: `'wait'` lets them finish,
   * `'cancel'` cuts them (records with status `canceled`, excluded from metrics). @default 'wait'
   */
  drain?: 'wait' | 'cancel';
}

const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
const nonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const positiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;

/** Throws InvalidOptionError naming the first bad field of a load spec. */
export function validateLoad(load: LoadSpec, path = 'load'): void {
  if (load.kind === 'concurrency') {
    if (!positiveInt(load.concurrency))
      throw new InvalidOptionError(`${path}.concurrency`, load.concurrency, 'an integer > 0');
  } else if (load.kind === 'rate') {
    if (!positive(load.ratePerS))
      throw new InvalidOptionError(`${path}.ratePerS`, load.ratePerS, 'a number > 0');
    if (load.arrival !== undefined && !['constant', 'poisson', 'gamma'].includes(load.arrival)) {
      throw new InvalidOptionError(`${path}.arrival`, load.arrival, "'constant', 'poisson' or 'gamma'");
    }
    if (load.burstiness !== undefined && !positive(load.burstiness)) {
      throw new InvalidOptionError(`${path}.burstiness`, load.burstiness, 'a number > 0');
    }
    if (load.maxConcurrency !== undefined && !positiveInt(load.maxConcurrency)) {
      throw new InvalidOptionError(`${path}.maxConcurrency`, load.maxConcurrency, 'an integer > 0');
    }
  } else {
    throw new InvalidOptionError(`${path}.kind`, (load as { kind: unknown }).kind, "'concurrency' or 'rate'");
  }
  if (load.rampUpMs !== undefined && !nonNegative(load.rampUpMs)) {
    throw new InvalidOptionError(`${path}.rampUpMs`, load.rampUpMs, 'a number of ms >= 0');
  }
}

/** Throws InvalidOptionError unless the stop spec has at least one valid limit. */
export function validateStop(stop: StopSpec, path = 'stop'): void {
  if (stop.maxRequests === undefined && stop.maxDurationMs === undefined) {
    throw new InvalidOptionError(path, stop, 'at least one of maxRequests or maxDurationMs');
  }
  if (stop.maxRequests !== undefined && !positiveInt(stop.maxRequests)) {
    throw new InvalidOptionError(`${path}.maxRequests`, stop.maxRequests, 'an integer > 0');
  }
  if (stop.maxDurationMs !== undefined && !positive(stop.maxDurationMs)) {
    throw new InvalidOptionError(`${path}.maxDurationMs`, stop.maxDurationMs, 'a number of ms > 0');
  }
  if (stop.drain !== undefined && stop.drain !== 'wait' && stop.drain !== 'cancel') {
    throw new InvalidOptionError(`${path}.drain`, stop.drain, "'wait' or 'cancel'");
  }
}

/** Stop rule: true once no further measured request may be issued. */
export function stopReached(stop: StopSpec, issued: number, elapsedMs: number): boolean {
  if (stop.maxRequests !== undefined && issued >= stop.maxRequests) return true;
  return stop.maxDurationMs !== undefined && elapsedMs >= stop.maxDurationMs;
}
