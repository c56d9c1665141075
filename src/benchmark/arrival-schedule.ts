// Open-loop arrival schedules: the send time of request i is a pure function of i, the load and a seed.
import type { Rng } from '../util/rng.js';
import type { RateLoad } from './load-spec.js';

/** Send offset in ms (from the start of the measured phase) of every request index. */
export type ArrivalSchedule = (index: number) => number;

/**
 * Gap before request `index` (>= 1) in seconds at the full rate: constant `1 / rate`, exponential (Poisson
 * process) or gamma with shape `burstiness` and the same mean. Each gap comes from its own fork of the RNG, so
 * it depends only on the seed and the index.
 */
export function arrivalGapS(load: RateLoad, rng: Rng, index: number): number {
  const rate = load.ratePerS;
  const arrival = load.arrival ?? 'poisson';
  if (arrival === 'constant') return 1 / rate;
  const draw = rng.fork(index);
  if (arrival === 'poisson') return draw.exponential(rate);
  const shape = load.burstiness ?? 1;
  return draw.gamma(shape, 1 / (rate * shape));
}

/**
 * Maps an arrival time at the full rate to a ramped one. With a rate rising linearly from 0 to R over T, the
 * expected arrivals by t are R t^2 / (2 T) (t < T), then R (t - T / 2); inverting that cumulative rate keeps
 * the process's shape while slowing its start.
 */
export function rampTimeS(fullRateS: number, rampUpS: number): number {
  if (rampUpS <= 0) return fullRateS;
  return fullRateS < rampUpS / 2 ? Math.sqrt(2 * rampUpS * fullRateS) : fullRateS + rampUpS / 2;
}

/** Creates the schedule of a rate load: request 0 at 0 ms, then cumulative gaps, then the ramp. */
export function createArrivalSchedule(load: RateLoad, rng: Rng): ArrivalSchedule {
  const cumulativeS: number[] = [0];
  const rampUpS = (load.rampUpMs ?? 0) / 1000;
  return (index: number): number => {
    for (let i = cumulativeS.length; i <= index; i++) {
      cumulativeS.push((cumulativeS[i - 1] as number) + arrivalGapS(load, rng, i));
    }
    return rampTimeS(cumulativeS[index] as number, rampUpS) * 1000;
  };
}
